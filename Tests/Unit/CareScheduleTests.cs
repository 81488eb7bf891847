using Outreach.Care;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary><see cref="CareSchedules"/>: when a care plan fires (China Standard Time), month and year ends, pauses, and bad schedules.</summary>
[Category(TestCategory.Unit)]
public sealed class CareScheduleTests
{
    private static readonly CareWindow Morning = new(new TimeOnly(9, 0), new TimeOnly(11, 0));

    private static CareSchedule Weekly(DateOnly start, DateOnly? end = null, params DayOfWeek[] days) =>
        new(CareScheduleKind.Weekly, days, 0, Morning, start, end, Paused: false);

    private static CareSchedule EveryN(int n, DateOnly start, DateOnly? end = null) =>
        new(CareScheduleKind.EveryNDays, [], n, Morning, start, end, Paused: false);

    /// <summary>Midnight UTC of a date.</summary>
    private static DateTimeOffset Utc(int year, int month, int day, int hour = 0) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Weekly_FiresOnItsDays_WithTheWindowInChinaStandardTime()
    {
        var tuesdays = Weekly(new DateOnly(2026, 12, 1), null, DayOfWeek.Tuesday, DayOfWeek.Friday);

        var found = CareSchedules.Between(tuesdays, Utc(2026, 11, 30), Utc(2026, 12, 12)).ToArray();

        Assert.Equal([new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 4), new DateOnly(2026, 12, 8), new DateOnly(2026, 12, 11)],
            found.Select(o => o.Date));
        Assert.Equal(Utc(2026, 12, 1, 1), found[0].From); // 09:00 in Beijing is 01:00 UTC
        Assert.Equal(Utc(2026, 12, 1, 3), found[0].To);
    }

    [Fact]
    public void Between_UsesTheDateInChina_NotInUtc()
    {
        // 23:30 UTC on Monday is 07:30 on Tuesday in Beijing: Tuesday's 09:00 window is 1.5 h later.
        var tuesdays = Weekly(new DateOnly(2026, 1, 1), null, DayOfWeek.Tuesday);

        var next = CareSchedules.Next(tuesdays, new DateTimeOffset(2026, 12, 7, 23, 30, 0, TimeSpan.Zero));

        Assert.Equal(new DateOnly(2026, 12, 8), next!.Date);
        Assert.Equal(Utc(2026, 12, 8, 1), next.From);
    }

    [Fact]
    public void EveryNDays_CountsFromTheStartAcrossMonthAndYearEnds()
    {
        var everyThree = EveryN(3, new DateOnly(2026, 12, 27));

        var found = CareSchedules.Between(everyThree, Utc(2026, 12, 1), Utc(2027, 1, 10)).Select(o => o.Date);

        Assert.Equal([new DateOnly(2026, 12, 27), new DateOnly(2026, 12, 30), new DateOnly(2027, 1, 2),
            new DateOnly(2027, 1, 5), new DateOnly(2027, 1, 8)], found);
    }

    [Fact]
    public void EveryNDays_AcrossTheEndOfFebruaryInALeapYear()
    {
        var everyTwo = EveryN(2, new DateOnly(2028, 2, 26));

        var found = CareSchedules.Between(everyTwo, Utc(2028, 2, 1), Utc(2028, 3, 5)).Select(o => o.Date);

        Assert.Equal([new DateOnly(2028, 2, 26), new DateOnly(2028, 2, 28), new DateOnly(2028, 3, 1), new DateOnly(2028, 3, 3)], found);
    }

    [Fact]
    public void Weekly_StopsAtTheEndDate_AndNextIsNullAfterIt()
    {
        var plan = Weekly(new DateOnly(2027, 1, 25), new DateOnly(2027, 2, 2), DayOfWeek.Monday);

        var found = CareSchedules.Between(plan, Utc(2027, 1, 1), Utc(2027, 3, 1)).Select(o => o.Date);

        Assert.Equal([new DateOnly(2027, 1, 25), new DateOnly(2027, 2, 1)], found);
        Assert.Null(CareSchedules.Next(plan, Utc(2027, 2, 1, 2)));
    }

    [Fact]
    public void Next_IsTheFirstWindowStartingAtOrAfterTheTime()
    {
        var plan = Weekly(new DateOnly(2026, 12, 1), null, DayOfWeek.Tuesday);

        Assert.Equal(new DateOnly(2026, 12, 1), CareSchedules.Next(plan, Utc(2026, 12, 1, 1))!.Date);
        Assert.Equal(new DateOnly(2026, 12, 8), CareSchedules.Next(plan, Utc(2026, 12, 1, 2))!.Date);
    }

    [Fact]
    public void Paused_HasNoOccurrences_AndResumingRestoresThem()
    {
        var plan = Weekly(new DateOnly(2026, 12, 1), null, DayOfWeek.Tuesday) with { Paused = true };

        Assert.Empty(CareSchedules.Between(plan, Utc(2026, 12, 1), Utc(2027, 1, 1)));
        Assert.Null(CareSchedules.Next(plan, Utc(2026, 12, 1)));
        Assert.Equal(5, CareSchedules.Between(plan with { Paused = false }, Utc(2026, 12, 1), Utc(2027, 1, 1)).Count());
    }

    [Fact]
    public void Check_AcceptsAScheduleThatFires()
    {
        Assert.Null(CareSchedules.Check(Weekly(new DateOnly(2026, 12, 1), null, DayOfWeek.Tuesday)));
        Assert.Null(CareSchedules.Check(EveryN(7, new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 1))));
    }

    [Theory]
    [InlineData("end before start", "endDate")]
    [InlineData("no days", "schedule.days")]
    [InlineData("a day twice", "schedule.days")]
    [InlineData("no day between start and end", "schedule.days")]
    [InlineData("every 0 days", "schedule.n")]
    [InlineData("every 400 days", "schedule.n")]
    [InlineData("window ends before it starts", "schedule.window")]
    [InlineData("empty window", "schedule.window")]
    [InlineData("start at the calendar's end", "startDate")]
    [InlineData("end at the calendar's end", "endDate")]
    [InlineData("start in year 1", "startDate")]
    public void Check_NamesTheFieldOfAScheduleThatNeverFiresOrOverlaps(string schedule, string field) =>
        Assert.Equal(field, CareSchedules.Check(Bad(schedule))?.Field);

    private static CareSchedule Bad(string what)
    {
        var start = new DateOnly(2026, 12, 1); // a Tuesday
        var tuesdays = Weekly(start, null, DayOfWeek.Tuesday);
        return what switch
        {
            "end before start" => Weekly(start, start.AddDays(-1), DayOfWeek.Tuesday),
            "no days" => Weekly(start),
            "a day twice" => Weekly(start, null, DayOfWeek.Monday, DayOfWeek.Monday),
            "no day between start and end" => Weekly(start, start.AddDays(3), DayOfWeek.Monday), // Tue–Fri has no Monday
            "every 0 days" => EveryN(0, start),
            "every 400 days" => EveryN(400, start),
            "window ends before it starts" => tuesdays with { Window = new(new TimeOnly(11, 0), new TimeOnly(9, 0)) },
            "empty window" => tuesdays with { Window = new(new TimeOnly(9, 0), new TimeOnly(9, 0)) },
            "start at the calendar's end" => Weekly(new DateOnly(9999, 12, 30), DateOnly.MaxValue, DayOfWeek.Thursday),
            "end at the calendar's end" => Weekly(start, DateOnly.MaxValue, DayOfWeek.Tuesday),
            "start in year 1" => EveryN(7, DateOnly.MinValue),
            _ => throw new ArgumentOutOfRangeException(nameof(what), what, "no such case"),
        };
    }
}
