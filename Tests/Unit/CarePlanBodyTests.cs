using Outreach.Care;
using Outreach.Contracts;
using Outreach.Model;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary>
/// <see cref="CarePlanBody.ToInput"/>: a plan body read into the grain's plan, or the field that is wrong; and the
/// occurrence's request id (<see cref="CareOccurrences.RequestId"/>), the same for the same plan and date only.
/// </summary>
[Category(TestCategory.Unit)]
public sealed class CarePlanBodyTests
{
    private static readonly DateOnly Start = new(2026, 12, 1);

    private static CarePlanBody Body(CareScheduleBody schedule, DateOnly? end = null) => new(
        HelpCategory.Groceries, schedule, Start, new PositionDto(35.76, 115.03), "华龙区 中原路 2号院", end);

    private static CareScheduleBody Weekly(params string[] days) => new("weekly", days, null, new CareWindowBody("09:00", "11:00"));

    [Fact]
    public void Weekly_IsReadWithItsDaysAndWindow()
    {
        var (input, field, _) = Body(Weekly("Tue", "Fri")).ToInput();

        Assert.Null(field);
        Assert.Equal(CareScheduleKind.Weekly, input!.Schedule.Kind);
        Assert.Equal([DayOfWeek.Tuesday, DayOfWeek.Friday], input.Schedule.Days);
        Assert.Equal(new CareWindow(new TimeOnly(9, 0), new TimeOnly(11, 0)), input.Schedule.Window);
        Assert.Equal(Urgency.Routine, input.Urgency);
    }

    [Fact]
    public void EveryNDays_IsReadWithItsN()
    {
        var (input, field, _) = Body(new CareScheduleBody("everyNDays", null, 3, new CareWindowBody("18:00", "19:30"))).ToInput();

        Assert.Null(field);
        Assert.Equal((CareScheduleKind.EveryNDays, 3), (input!.Schedule.Kind, input.Schedule.N));
    }

    public static TheoryData<string, CareScheduleBody, DateOnly?, string> Wrong => new()
    {
        { "monthly", new CareScheduleBody("monthly", null, 1, new CareWindowBody("09:00", "10:00")), null, "schedule.kind" },
        { "kind in other case", new CareScheduleBody("Weekly", ["Tue"], null, new CareWindowBody("09:00", "10:00")), null, "schedule.kind" },
        { "a day not a word", Weekly("Tuesday"), null, "schedule.days" },
        { "no days", Weekly(), null, "schedule.days" },
        { "a day twice", Weekly("Tue", "Tue"), null, "schedule.days" },
        { "no window", new CareScheduleBody("weekly", ["Tue"], null, null), null, "schedule.window" },
        { "from not a time", new CareScheduleBody("weekly", ["Tue"], null, new CareWindowBody("9am", "10:00")), null, "schedule.window.from" },
        { "to out of range", new CareScheduleBody("weekly", ["Tue"], null, new CareWindowBody("09:00", "24:00")), null, "schedule.window.to" },
        { "window backwards", new CareScheduleBody("weekly", ["Tue"], null, new CareWindowBody("11:00", "09:00")), null, "schedule.window" },
        { "n missing", new CareScheduleBody("everyNDays", null, null, new CareWindowBody("09:00", "10:00")), null, "schedule.n" },
        { "end before start", Weekly("Tue"), new DateOnly(2026, 11, 30), "endDate" },
        { "no Saturday in range", Weekly("Sat"), new DateOnly(2026, 12, 4), "schedule.days" },
    };

    [Theory]
    [MemberData(nameof(Wrong))]
    public void Wrong_NamesTheField(string why, CareScheduleBody schedule, DateOnly? end, string field)
    {
        var (input, named, message) = Body(schedule, end).ToInput();

        Assert.Null(input);
        Assert.True(named == field, $"{why}: named {named} ({message})");
        Assert.False(string.IsNullOrWhiteSpace(message));
    }

    [Fact]
    public void Dto_ShowsTheScheduleAsWritten_AndTheNextOccurrencesWithTheirRequestIds()
    {
        var (input, _, _) = Body(Weekly("Fri", "Tue")).ToInput();
        var plan = new CarePlan(Guid.NewGuid(), Guid.NewGuid(), input!, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, false, null, "op");

        var dto = CarePlanDto.From(plan, new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero)); // 10:00 in China, Tuesday

        Assert.Equal(["Tue", "Fri"], dto.Schedule.Days!);
        Assert.Equal(("09:00", "11:00"), (dto.Schedule.Window!.From, dto.Schedule.Window.To));
        // Tuesday's window is still open (ends 11:00): it is the next; then Friday, then the next Tuesday.
        Assert.Equal([new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 4), new DateOnly(2026, 12, 8)], dto.Next.Select(o => o.Date));
        Assert.All(dto.Next, o => Assert.Equal(CareOccurrences.RequestId(plan.Id, o.Date), o.RequestId));
    }

    [Fact]
    public void RequestId_IsTheSameForThePlanAndDate_AndDiffersOtherwise()
    {
        var plan = Guid.NewGuid();

        var id = CareOccurrences.RequestId(plan, Start);

        Assert.Equal(id, CareOccurrences.RequestId(plan, Start));
        Assert.NotEqual(id, CareOccurrences.RequestId(plan, Start.AddDays(1)));
        Assert.NotEqual(id, CareOccurrences.RequestId(Guid.NewGuid(), Start));
        Assert.Equal(8, id.Version);
    }
}
