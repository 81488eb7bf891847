using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Outreach.Care;
using Outreach.Model;

namespace Outreach.Contracts;

/// <summary>A visit's time of day in China Standard Time, <c>"HH:mm"</c> each.</summary>
public sealed record CareWindowBody(string? From = null, string? To = null);

/// <summary>
/// A plan's schedule: <c>{"kind": "weekly", "days": ["Tue", …], "window": …}</c> or
/// <c>{"kind": "everyNDays", "n": 3, "window": …}</c>.
/// </summary>
public sealed record CareScheduleBody(string? Kind = null, string[]? Days = null, int? N = null, CareWindowBody? Window = null);

/// <summary>Body of <c>POST /api/workers/{id}/care-plans</c> and <c>PUT …/{planId}</c>.</summary>
public sealed record CarePlanBody(
    HelpCategory Category,
    [Required] CareScheduleBody? Schedule,
    [Required] DateOnly? StartDate,
    [Required] PositionDto? Position,
    [Required, StringLength(200, MinimumLength = 2)] string? Address,
    DateOnly? EndDate = null,
    bool Paused = false,
    [StringLength(2000)] string? Notes = null,
    Guid? PreferredVolunteerId = null,
    Urgency Urgency = Urgency.Routine)
{
    /// <summary>The words of <c>schedule.kind</c>.</summary>
    public const string Weekly = "weekly", EveryNDays = "everyNDays";

    /// <summary>The words of <c>schedule.days</c>, Sunday first as <see cref="DayOfWeek"/> counts.</summary>
    public static readonly string[] DayWords = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    /// <summary>
    /// The plan as the grain keeps it, or the field that is wrong and why (a schedule that cannot be read, or one
    /// that never fires or overlaps itself: <see cref="CareSchedules.Check"/>).
    /// </summary>
    public (CarePlanInput? Input, string? Field, string? Message) ToInput()
    {
        if (Schedule is not { } schedule)
            return (null, "schedule", "A plan needs a schedule.");
        if (StartDate is not { } start)
            return (null, "startDate", "A plan needs a start date (yyyy-MM-dd).");
        if (Position is null || Address is null)
            return (null, Position is null ? "position" : "address", "A plan needs the place of the visits.");
        CareScheduleKind kind;
        switch (schedule.Kind)
        {
            case Weekly: kind = CareScheduleKind.Weekly; break;
            case EveryNDays: kind = CareScheduleKind.EveryNDays; break;
            default: return (null, "schedule.kind", $"The kind is \"{Weekly}\" or \"{EveryNDays}\".");
        }
        var days = new List<DayOfWeek>();
        if (kind == CareScheduleKind.Weekly)
        {
            foreach (var word in schedule.Days ?? [])
            {
                var day = Array.IndexOf(DayWords, word);
                if (day < 0)
                    return (null, "schedule.days", $"A day is one of {string.Join(", ", DayWords)}.");
                days.Add((DayOfWeek)day);
            }
        }
        if (schedule.Window is not { } window)
            return (null, "schedule.window", "A schedule needs a window { from, to } (HH:mm, China Standard Time).");
        if (!TryTime(window.From, out var from))
            return (null, "schedule.window.from", "A time is HH:mm (00:00 to 23:59).");
        if (!TryTime(window.To, out var to))
            return (null, "schedule.window.to", "A time is HH:mm (00:00 to 23:59).");
        var care = new CareSchedule(kind, [.. days], kind == CareScheduleKind.EveryNDays ? schedule.N ?? 0 : 0,
            new CareWindow(from, to), start, EndDate, Paused);
        if (CareSchedules.Check(care) is { } wrong)
            return (null, wrong.Field, wrong.Message);
        return (new CarePlanInput(Category, Urgency, care, Position.ToGeoPoint(), Address.Trim(), Notes?.Trim() ?? "",
            PreferredVolunteerId), null, null);
    }

    private static bool TryTime(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
}

/// <summary>One occurrence of a plan: its date, its window and the id its request has (or will have).</summary>
public sealed record CareOccurrenceDto(DateOnly Date, DateTimeOffset From, DateTimeOffset To, Guid RequestId);

/// <summary>A care plan as the API shows it (staff only: it holds the family's address).</summary>
public sealed record CarePlanDto
{
    public required Guid Id { get; init; }
    public required Guid WorkerId { get; init; }
    public required HelpCategory Category { get; init; }
    public required Urgency Urgency { get; init; }
    public required CareScheduleBody Schedule { get; init; }
    public required DateOnly StartDate { get; init; }
    public DateOnly? EndDate { get; init; }
    public required bool Paused { get; init; }
    public required PositionDto Position { get; init; }
    public required string Address { get; init; }
    public required string Notes { get; init; }
    public Guid? PreferredVolunteerId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public required string UpdatedBy { get; init; }
    public bool Deleted { get; init; }

    /// <summary>The next occurrences (a few; none when paused or ended).</summary>
    public required CareOccurrenceDto[] Next { get; init; }

    /// <summary>How many of the next occurrences <see cref="From"/> lists.</summary>
    public const int NextShown = 3;

    public static CarePlanDto From(CarePlan plan, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var data = plan.Data;
        var schedule = data.Schedule;
        var window = new CareWindowBody(schedule.Window.From.ToString("HH:mm", CultureInfo.InvariantCulture),
            schedule.Window.To.ToString("HH:mm", CultureInfo.InvariantCulture));
        var body = schedule.Kind == CareScheduleKind.Weekly
            ? new CareScheduleBody(CarePlanBody.Weekly, [.. schedule.Days.Order().Select(d => CarePlanBody.DayWords[(int)d])], null, window)
            : new CareScheduleBody(CarePlanBody.EveryNDays, null, schedule.N, window);
        CareOccurrenceDto[] next = plan.Deleted
            ? []
            : [.. CareSchedules.Between(schedule, now - TimeSpan.FromDays(1), now + TimeSpan.FromDays(CareSchedules.MaxN + 8))
                .Where(o => o.To > now)
                .Take(NextShown)
                .Select(o => new CareOccurrenceDto(o.Date, o.From, o.To, CareOccurrences.RequestId(plan.Id, o.Date)))];
        return new CarePlanDto
        {
            Id = plan.Id,
            WorkerId = plan.WorkerId,
            Category = data.Category,
            Urgency = data.Urgency,
            Schedule = body,
            StartDate = schedule.StartDate,
            EndDate = schedule.EndDate,
            Paused = schedule.Paused,
            Position = PositionDto.From(data.Position),
            Address = data.Address,
            Notes = data.Notes,
            PreferredVolunteerId = data.PreferredVolunteerId,
            CreatedAt = plan.CreatedAt,
            UpdatedAt = plan.UpdatedAt,
            UpdatedBy = plan.UpdatedBy,
            Deleted = plan.Deleted,
            Next = next,
        };
    }
}

/// <summary>
/// One occurrence in the coordinators' list (<c>GET /api/care-plans/upcoming</c>): the plan, the family's name (no
/// phone, no address), when, and where its request stands — null <see cref="RequestStatus"/> while it is not made yet.
/// </summary>
public sealed record UpcomingCareDto
{
    public required Guid PlanId { get; init; }
    public required Guid WorkerId { get; init; }
    public required string WorkerName { get; init; }
    public required HelpCategory Category { get; init; }
    public required Urgency Urgency { get; init; }
    public required DateOnly Date { get; init; }
    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset To { get; init; }
    public Guid? PreferredVolunteerId { get; init; }
    public string? PreferredVolunteerName { get; init; }
    public required Guid RequestId { get; init; }
    public RequestStatus? RequestStatus { get; init; }
    public Guid? AssignedVolunteerId { get; init; }
    public string? AssignedVolunteerName { get; init; }

    /// <summary>Whether a helper has the visit (claimed, en route, on site or done).</summary>
    public required bool HasHelper { get; init; }
}
