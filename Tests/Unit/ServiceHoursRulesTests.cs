using Outreach.Dispatch;
using Outreach.Grains.Dispatch;
using Outreach.Model;
using Outreach.Contracts;
using Outreach.Web.Hours;
using static Outreach.Tests.Unit.HelpRequestModelScene;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary>Service records as the request model keeps them, the periods in China Standard Time, and the totals.</summary>
[Category(TestCategory.Unit)]
public sealed class ServiceHoursRulesTests
{
    private static readonly ModelVolunteer Li = ModelVolunteer.Named("Li", 4);
    private static readonly ModelVolunteer Wang = ModelVolunteer.Named("Wang", 7);

    [Fact]
    public void Completion_RecordsTheServiceFromSettingOffToCompletion()
    {
        var completed = Completed(Li, Wang); // en route at minute 2, completed at 4

        var entry = Assert.Single(completed.Services);
        Assert.Equal(new ServiceEntry(1, Li.Id, "Li", At(2), At(4)), entry);
        Assert.Equal(2, entry.Minutes, 6);
    }

    [Fact]
    public void Completion_WithoutSettingOff_CountsFromTheClaim()
    {
        var onSite = OnSite(Li, Wang).Copy();
        onSite.EnRouteAt = null; // a request stored before "en route" was reported

        var next = Changed(Decide(onSite, new AdvanceCommand(Li.Actor, RequestStatus.Completed, null), Facts(10)));

        Assert.Equal(At(1), next.Services.Single().StartedAt);
        Assert.Equal(9, next.Services.Single().Minutes, 6);
    }

    [Fact]
    public void FollowUp_RatesTheLatestService()
    {
        var next = Changed(Decide(Completed(Li, Wang), new FollowUpCommand(Operator, Satisfied: true, 5, null), Facts(30)));

        Assert.Equal((true, 5), (next.Services.Single().Satisfied, next.Services.Single().Rating));
    }

    [Fact]
    public void NotSatisfied_Reopened_KeepsTheFirstHelpersService_AndTheSecondCompletionAddsAnother()
    {
        var reopened = Changed(Decide(Completed(Li, Wang), new FollowUpCommand(Operator, Satisfied: false, 2, "wrong medicine"),
            WithCandidates(30, Wang)));
        var claimed = Changed(Decide(reopened, new ClaimCommand(Wang.Actor), WithVolunteer(31, Wang.Facts())));
        var enRoute = Changed(Decide(claimed, new AdvanceCommand(Wang.Actor, RequestStatus.EnRoute, null), Facts(32)));
        var onSite = Changed(Decide(enRoute, new AdvanceCommand(Wang.Actor, RequestStatus.OnSite, null), Facts(40)));
        var done = Changed(Decide(onSite, new AdvanceCommand(Wang.Actor, RequestStatus.Completed, null), Facts(50)));

        Assert.Equal(new ServiceEntry(1, Li.Id, "Li", At(2), At(4), Satisfied: false, Rating: 2), Assert.Single(reopened.Services));
        Assert.Null(reopened.CompletedAt);
        Assert.Equal(
            [new ServiceEntry(1, Li.Id, "Li", At(2), At(4), false, 2), new ServiceEntry(2, Wang.Id, "Wang", At(32), At(50))],
            done.Services);
        Assert.Equal(20, done.Services.Sum(s => s.Minutes), 6);
    }

    [Fact]
    public void RepeatedCompletion_AddsNoSecondRecord() =>
        Assert.Null(Decide(Completed(Li, Wang), new AdvanceCommand(Li.Actor, RequestStatus.Completed, null), Facts(9)).Next);

    [Theory]
    // 1 March 00:00 in China is 28 February 16:00 UTC.
    [InlineData("2026-02-28T15:59:00Z", "2026-02-01T00:00:00+08:00", "2026-01-01T00:00:00+08:00")]
    [InlineData("2026-02-28T16:00:00Z", "2026-03-01T00:00:00+08:00", "2026-01-01T00:00:00+08:00")]
    // New year in China while it is still 31 December in UTC.
    [InlineData("2026-12-31T16:30:00Z", "2027-01-01T00:00:00+08:00", "2027-01-01T00:00:00+08:00")]
    public void MonthAndYear_StartAtMidnightInChina(string now, string month, string year)
    {
        var at = DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(DateTimeOffset.Parse(month, System.Globalization.CultureInfo.InvariantCulture), ServicePeriod.StartOfChinaMonth(at));
        Assert.Equal(DateTimeOffset.Parse(year, System.Globalization.CultureInfo.InvariantCulture), ServicePeriod.StartOfChinaYear(at));
    }

    [Fact]
    public void Period_IsWholeChinaDays_DefaultingToThisMonthSoFar()
    {
        var now = new DateTimeOffset(2026, 4, 30, 17, 0, 0, TimeSpan.Zero); // 1 May, 01:00 in China

        var given = ServicePeriod.Read("2026-04-01", "2026-04-30", now, out _, out _)!;
        var defaulted = ServicePeriod.Read(null, null, now, out _, out _)!;

        Assert.Equal(new DateTimeOffset(2026, 3, 31, 16, 0, 0, TimeSpan.Zero), given.Start);
        Assert.Equal(new DateTimeOffset(2026, 4, 30, 16, 0, 0, TimeSpan.Zero), given.End);
        Assert.Equal(new ServicePeriod(new DateOnly(2026, 5, 1), new DateOnly(2026, 5, 1)), defaulted);
    }

    [Theory]
    [InlineData("2026-13-01", null, "from")]
    [InlineData("2026-02-29", null, "from")]
    [InlineData("1 May", null, "from")]
    [InlineData("2026-05-01T00:00", null, "from")]
    [InlineData(null, "2026-5-1", "to")]
    [InlineData("2026-05-02", "2026-05-01", "to")]
    public void Period_BadDates_NameTheField(string? from, string? to, string field)
    {
        Assert.Null(ServicePeriod.Read(from, to, new DateTimeOffset(2026, 5, 10, 0, 0, 0, TimeSpan.Zero), out var named, out var why));
        Assert.Equal(field, named);
        Assert.NotNull(why);
    }

    [Fact]
    public void Totals_PerVolunteerAndStation_AddTheCountedMinutes()
    {
        var (north, south) = (Guid.NewGuid(), Guid.NewGuid());
        ServiceRecordDto[] records =
        [
            Record(Li, north, 30), Record(Li, south, 45), Record(Wang, north, 60), Record(Wang, null, 10),
        ];

        var report = ServiceTotals.Report(new ServicePeriod(new DateOnly(2026, 5, 1), new DateOnly(2026, 5, 31)), records,
            new Dictionary<Guid, string> { [north] = "北站" }, maxListed: 3);

        Assert.Equal(ServiceTotal.Of(4, 145), report.Total);
        Assert.Equal(2.42, report.Total.Hours);
        Assert.Equal([(Wang.Id, 70.0, 2), (Li.Id, 75.0, 2)],
            report.Volunteers.Select(v => (v.VolunteerId, v.Minutes, v.Count)).OrderBy(v => v.Minutes));
        Assert.Equal("Li", report.Volunteers[0].VolunteerName); // most minutes first
        var byStation = report.Stations.ToDictionary(s => s.StationId ?? Guid.Empty);
        Assert.Equal((90.0, "北站"), (byStation[north].Minutes, byStation[north].StationName));
        Assert.Equal(45, byStation[south].Minutes);
        Assert.Equal(10, byStation[Guid.Empty].Minutes);
        Assert.Equal(3, report.Records.Length);
        Assert.True(report.RecordsTruncated);
    }

    private static ServiceRecordDto Record(ModelVolunteer volunteer, Guid? station, double minutes) =>
        new(Guid.NewGuid(), Guid.NewGuid(), 1, volunteer.Id, volunteer.Name, station, HelpCategory.Medicine, At(0), At(minutes),
            minutes, Math.Round(minutes / 60, 2), minutes, null, null, null);
}
