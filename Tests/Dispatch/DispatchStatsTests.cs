using Outreach.Database;
using Outreach.Model;
using Outreach.Web.Dispatch;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Dispatch;

/// <summary>
/// The coordinator's figures over a scripted day with known times (all UTC): "now" is 10:30 on 5 November,
/// "since" is 00:00 that day; one request from the evening before and one from two days before lie outside.
/// </summary>
[Category(TestCategory.Database)]
public sealed class DispatchStatsTests() : LedgerDatabaseTests("stats")
{
    private static readonly DateTimeOffset _since = new(2026, 11, 5, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset _now = new(2026, 11, 5, 10, 30, 0, TimeSpan.Zero);

    protected override async Task SeedAsync()
    {
        DateTimeOffset At(int hour, int minute) => _since.AddHours(hour).AddMinutes(minute);
        await Db.RecordAsync(
            // Claimed after 2, 4, 6, 8, 10 minutes; on site after 10, 15, 20, 16 minutes.
            RequestViews.Create(At(9, 0), RequestStatus.Completed, HelpCategory.Groceries, claimedAfter: 2, onSiteAfter: 10, completedAfter: 40),
            RequestViews.Create(At(9, 10), RequestStatus.Completed, HelpCategory.Medicine, claimedAfter: 4, onSiteAfter: 15, completedAfter: 30),
            RequestViews.Create(At(9, 20), RequestStatus.OnSite, HelpCategory.Medicine, claimedAfter: 6, onSiteAfter: 20),
            RequestViews.Create(At(8, 0), RequestStatus.Completed, HelpCategory.Meals, claimedAfter: 8, onSiteAfter: 16, completedAfter: 50),
            RequestViews.Create(At(7, 0), RequestStatus.Claimed, HelpCategory.Groceries, escalated: true, claimedAfter: 10),
            RequestViews.Create(At(10, 0), RequestStatus.Offered, HelpCategory.Groceries, escalated: true),
            RequestViews.Create(At(6, 0), RequestStatus.Cancelled, HelpCategory.Escort),
            // Before "since" but within the last 24 hours: only in the hourly chart.
            RequestViews.Create(At(-4, 0), RequestStatus.Completed, HelpCategory.FirstAid, escalated: true, claimedAfter: 1, onSiteAfter: 5, completedAfter: 30),
            // Two days before: nowhere.
            RequestViews.Create(At(-48, 0), RequestStatus.Completed, HelpCategory.Tutoring, claimedAfter: 1, onSiteAfter: 5, completedAfter: 30));
    }

    [Fact]
    public async Task Stats_CountsRequestsCreatedSince_ByStatusAndCategory()
    {
        var stats = await Db.Queries.StatsAsync(_since, _now);

        Assert.Equal(_since, stats.Since);
        Assert.Equal(_now, stats.Now);
        Assert.Equal(7, stats.Total);
        Assert.Equal(2, stats.Escalated);
        Assert.Equal(
            new Dictionary<string, int>
            {
                ["New"] = 0, ["Offered"] = 1, ["Claimed"] = 1, ["EnRoute"] = 0, ["OnSite"] = 1, ["Completed"] = 3, ["Cancelled"] = 1,
            },
            stats.ByStatus);
        Assert.Equal(Enum.GetNames<RequestStatus>(), stats.ByStatus.Keys);
        Assert.Equal(
            new Dictionary<string, int>
            {
                ["Groceries"] = 3, ["Meals"] = 1, ["SchoolSupplies"] = 0, ["Medicine"] = 2,
                ["Tutoring"] = 0, ["Escort"] = 1, ["FirstAid"] = 0, ["Other"] = 0,
            },
            stats.ByCategory);
        Assert.Equal(Enum.GetNames<HelpCategory>(), stats.ByCategory.Keys);
    }

    [Fact]
    public async Task Stats_TimeToClaim_IsMedianAndP90OfTheClaimedRequests()
    {
        var stats = await Db.Queries.StatsAsync(_since, _now);

        // 2, 4, 6, 8, 10 minutes: median 6; percentile_cont(0.9) = 8 + 0.6 × (10 − 8) = 9.2.
        Assert.Equal(5, stats.TimeToClaim.Count);
        Assert.Equal(6, stats.TimeToClaim.MedianMinutes!.Value, 9);
        Assert.Equal(9.2, stats.TimeToClaim.P90Minutes!.Value, 9);
    }

    [Fact]
    public async Task Stats_TimeToArrival_IsMedianAndP90OfTheRequestsReachedOnSite()
    {
        var stats = await Db.Queries.StatsAsync(_since, _now);

        // 10, 15, 16, 20 minutes: median (15 + 16) / 2 = 15.5; percentile_cont(0.9) = 16 + 0.7 × (20 − 16) = 18.8.
        Assert.Equal(4, stats.TimeToArrival.Count);
        Assert.Equal(15.5, stats.TimeToArrival.MedianMinutes!.Value, 9);
        Assert.Equal(18.8, stats.TimeToArrival.P90Minutes!.Value, 9);
    }

    [Fact]
    public async Task Stats_ReachedWithinCircle_CountsTheCirclesMinutesExactlyAsOnTime()
    {
        var stats = await Db.Queries.StatsAsync(_since, _now);

        // The default circle, 15 minutes: on site after 10 and 15 are on time, 16 and 20 are not.
        Assert.Equal(new ReachShare(CircleMinutes: 15, Arrived: 4, OnTime: 2, Share: 0.5), stats.ReachedWithinCircle);
    }

    [Fact]
    public async Task Stats_LastDay_Is24HourlyPointsWithCreatedAndCompletedInTheirHours()
    {
        var stats = await Db.Queries.StatsAsync(_since, _now);

        var firstHour = new DateTimeOffset(2026, 11, 4, 11, 0, 0, TimeSpan.Zero);
        Assert.Equal(24, stats.LastDay.Count);
        Assert.Equal(Enumerable.Range(0, 24).Select(h => firstHour.AddHours(h)), stats.LastDay.Select(p => p.Hour));
        var created = stats.LastDay.Where(p => p.Created > 0).ToDictionary(p => p.Hour.Hour, p => p.Created);
        var completed = stats.LastDay.Where(p => p.Completed > 0).ToDictionary(p => p.Hour.Hour, p => p.Completed);
        Assert.Equal(new Dictionary<int, int> { [20] = 1, [6] = 1, [7] = 1, [8] = 1, [9] = 3, [10] = 1 }, created);
        // 20:30 the evening before; 08:50; 09:40 and 09:40.
        Assert.Equal(new Dictionary<int, int> { [20] = 1, [8] = 1, [9] = 2 }, completed);
    }

    [Fact]
    public async Task Stats_SinceAfterEverything_GivesZerosAndNoTimes()
    {
        var stats = await Db.Queries.StatsAsync(_now, _now);

        Assert.Equal(0, stats.Total);
        Assert.All(stats.ByStatus.Values, n => Assert.Equal(0, n));
        Assert.Equal(new MinutesFigures(0, null, null), stats.TimeToClaim);
        Assert.Equal(new MinutesFigures(0, null, null), stats.TimeToArrival);
        Assert.Equal(new ReachShare(15, 0, 0, null), stats.ReachedWithinCircle);
        Assert.Equal(24, stats.LastDay.Count);
    }

    [Theory]
    [InlineData("2026-11-05T10:30:00Z", "2026-11-04T16:00:00Z")]
    [InlineData("2026-11-05T15:59:59Z", "2026-11-04T16:00:00Z")]
    [InlineData("2026-11-05T16:00:00Z", "2026-11-05T16:00:00Z")]
    [InlineData("2026-11-05T23:00:00+08:00", "2026-11-04T16:00:00Z")]
    public void StartOfChinaDay_IsMidnightAtUtcPlus8(string now, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            IsoTime.StartOfChinaDay(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("2026-11-05", true)]
    [InlineData("2026-11-05T08:30", true)]
    [InlineData("2026-11-05T08:30:00.5Z", true)]
    [InlineData("2026-11-05T08:30:00+08:00", true)]
    [InlineData("11/05/2026", false)]
    [InlineData("yesterday", false)]
    [InlineData("2026-13-05", false)]
    public void IsoTime_TryParse_AcceptsOnlyIso8601(string text, bool valid) =>
        Assert.Equal(valid, IsoTime.TryParse(text, out _));
}
