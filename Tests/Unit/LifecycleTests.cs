using System.Text.RegularExpressions;
using Outreach.Database;
using Outreach.Grains.Dispatch;
using Outreach.Model;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

[Category(TestCategory.Unit)]
public sealed class LifecycleTests
{
    [Theory]
    [InlineData(RequestStatus.Claimed, RequestStatus.EnRoute)]
    [InlineData(RequestStatus.EnRoute, RequestStatus.OnSite)]
    [InlineData(RequestStatus.OnSite, RequestStatus.Completed)]
    public void NextStep_FollowsTheLifecycle(RequestStatus from, RequestStatus next) =>
        Assert.Equal(next, Lifecycle.NextStep(from));

    [Theory]
    [InlineData(RequestStatus.New)]
    [InlineData(RequestStatus.Offered)]
    [InlineData(RequestStatus.Completed)]
    [InlineData(RequestStatus.Cancelled)]
    public void NextStep_NoneOutsideTheAssignedStatuses(RequestStatus from) => Assert.Null(Lifecycle.NextStep(from));

    // An applied migration is never edited: the C# lists must stay the ones its partial indexes were made with.
    [Fact]
    public void Open_IsWhatTheOpenQueueIndexOfMigration0006Lists() =>
        Assert.Equal(Lifecycle.Open, IndexedStatuses("0006_request_ledger.sql", "ix_outreach_requests_open"));

    [Fact]
    public void Open_IsWhatTheOpenPageIndexOfMigration0015Lists() =>
        Assert.Equal(Lifecycle.Open, IndexedStatuses("0015_assignments_index.sql", "ix_outreach_requests_open_page"));

    [Fact]
    public void Assigned_IsWhatTheAssignedIndexOfMigration0015Lists() =>
        Assert.Equal(Lifecycle.Assigned, IndexedStatuses("0015_assignments_index.sql", "ix_outreach_requests_assigned_open"));

    [Fact]
    public void Open_IsWhatTheDeadlineIndexOfMigration0018Lists() =>
        Assert.Equal(Lifecycle.Open, IndexedStatuses("0018_request_deadlines.sql", "ix_outreach_requests_deadline"));

    [Fact]
    public void TheWords_SplitTheStatusesAsTheirNamesSay()
    {
        Assert.Equal(Lifecycle.Assigned, Lifecycle.Open.Where(s => s != RequestStatus.Offered));
        Assert.Equal(Lifecycle.Coming, Lifecycle.Assigned.Where(s => s != RequestStatus.OnSite));
        Assert.Equal(Enum.GetValues<RequestStatus>().Where(s => s != RequestStatus.New), Lifecycle.Open.Concat(Lifecycle.Closed));
        foreach (var status in Enum.GetValues<RequestStatus>())
        {
            Assert.Equal(Lifecycle.Assigned.Contains(status), Lifecycle.IsAssigned(status));
            Assert.Equal(Lifecycle.Coming.Contains(status), Lifecycle.IsComing(status));
            Assert.Equal(Lifecycle.Closed.Contains(status), Lifecycle.IsClosed(status));
        }
    }

    /// <summary>The statuses a partial index of a migration lists in its <c>WHERE status IN (…)</c>, in order.</summary>
    private static RequestStatus[] IndexedStatuses(string migration, string index)
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(migration, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        var sql = new StreamReader(stream).ReadToEnd();
        var found = Regex.Match(sql, $@"CREATE INDEX IF NOT EXISTS {index}\s+ON outreach_requests \([^)]*\)\s+WHERE status IN \(([^)]*)\);");
        Assert.True(found.Success, $"migration {migration} has no index {index} in the expected shape");
        return [.. found.Groups[1].Value.Split(',').Select(s => Enum.Parse<RequestStatus>(s.Trim().Trim('\'')))];
    }

    [Theory]
    [InlineData(RequestStatus.New, false)]
    [InlineData(RequestStatus.Offered, true)]
    [InlineData(RequestStatus.Claimed, true)]
    [InlineData(RequestStatus.EnRoute, true)]
    [InlineData(RequestStatus.OnSite, true)]
    [InlineData(RequestStatus.Completed, false)]
    [InlineData(RequestStatus.Cancelled, false)]
    public void Open_AreTheStatusesThatStillNeedSomeone(RequestStatus status, bool open) =>
        Assert.Equal(open, Lifecycle.Open.Contains(status));

    [Fact]
    public void ClaimDeadline_DependsOnUrgency()
    {
        var options = new DispatchOptions();

        Assert.True(options.ClaimDeadline(Urgency.Emergency) < options.ClaimDeadline(Urgency.Urgent));
        Assert.True(options.ClaimDeadline(Urgency.Urgent) < options.ClaimDeadline(Urgency.Routine));
    }
}
