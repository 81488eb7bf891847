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

    [Fact]
    public void Open_IsWhatTheOpenQueueIndexOfMigration0006Lists()
    {
        // An applied migration is never edited: the C# list must stay the one the index was made with.
        var assembly = typeof(SchemaMigrator).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith("0006_request_ledger.sql", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        var sql = new StreamReader(stream).ReadToEnd();
        var index = Regex.Match(sql, @"CREATE INDEX IF NOT EXISTS ix_outreach_requests_open\s+ON outreach_requests \(created_at DESC\)\s+WHERE status IN \(([^)]*)\);");
        Assert.True(index.Success, "migration 0006 has no open-queue index in the expected shape");

        var listed = index.Groups[1].Value.Split(',').Select(s => Enum.Parse<RequestStatus>(s.Trim().Trim('\''))).ToArray();

        Assert.Equal(Lifecycle.Open, listed);
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
