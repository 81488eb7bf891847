namespace Outreach.Care;

/// <summary>How a care plan repeats.</summary>
[GenerateSerializer]
public enum CareScheduleKind
{
    /// <summary>On the given days of each week.</summary>
    Weekly,

    /// <summary>Every N days from the start date.</summary>
    EveryNDays,
}

/// <summary>The time of day a visit is wanted, in China Standard Time, within one day (<c>From</c> before <c>To</c>).</summary>
[GenerateSerializer, Immutable, Alias("Outreach.CareWindow")]
public sealed record CareWindow([property: Id(0)] TimeOnly From, [property: Id(1)] TimeOnly To);

/// <summary>
/// A care plan's schedule (standing need): weekly on <see cref="Days"/>, or every <see cref="N"/> days counted from
/// <see cref="StartDate"/>; each occurrence is the <see cref="Window"/> of its date. Dates are calendar dates in
/// China Standard Time; <see cref="EndDate"/> is the last date that may have one; a <see cref="Paused"/> plan has none.
/// </summary>
[GenerateSerializer, Immutable, Alias("Outreach.CareSchedule")]
public sealed record CareSchedule(
    [property: Id(0)] CareScheduleKind Kind,
    [property: Id(1)] DayOfWeek[] Days,
    [property: Id(2)] int N,
    [property: Id(3)] CareWindow Window,
    [property: Id(4)] DateOnly StartDate,
    [property: Id(5)] DateOnly? EndDate,
    [property: Id(6)] bool Paused);

/// <summary>One occurrence of a plan: its date and its window as instants.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.CareOccurrence")]
public sealed record CareOccurrence([property: Id(0)] DateOnly Date, [property: Id(1)] DateTimeOffset From, [property: Id(2)] DateTimeOffset To);

/// <summary>
/// The arithmetic of care plans, pure: is a schedule valid (and if not, which field is wrong), and when does it
/// fire. China Standard Time is UTC+8 all year (no daylight saving since 1991), so dates and windows are turned into
/// instants with that fixed offset; the machine's time zone plays no part.
/// </summary>
public static class CareSchedules
{
    /// <summary>China Standard Time.</summary>
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>The largest N of an every-N-days plan (a year).</summary>
    public const int MaxN = 366;

    /// <summary>The earliest date a plan may name.</summary>
    public static readonly DateOnly FirstDate = new(2000, 1, 1);

    /// <summary>The latest date a plan may name: far enough for "no end", and far from the calendar's last day.</summary>
    public static readonly DateOnly LastDate = new(2199, 12, 31);

    /// <summary>The field that is wrong and why, or null for a schedule that fires.</summary>
    public static (string Field, string Message)? Check(CareSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (schedule.Window is null)
            return ("schedule.window", "A schedule needs a window { from, to }.");
        if (schedule.Window.To <= schedule.Window.From)
            return ("schedule.window", "The window must end after it starts, on the same day.");
        if (schedule.StartDate < FirstDate || schedule.StartDate > LastDate)
            return ("startDate", $"The start date is between {FirstDate:yyyy-MM-dd} and {LastDate:yyyy-MM-dd}.");
        if (schedule.EndDate is { } outside && (outside < FirstDate || outside > LastDate))
            return ("endDate", $"The end date is between {FirstDate:yyyy-MM-dd} and {LastDate:yyyy-MM-dd}, or none.");
        if (schedule.EndDate is { } end && end < schedule.StartDate)
            return ("endDate", "The end date is before the start date: the plan would never fire.");
        switch (schedule.Kind)
        {
            case CareScheduleKind.Weekly:
                if (schedule.Days is null || schedule.Days.Length == 0)
                    return ("schedule.days", "A weekly schedule needs at least one day.");
                if (schedule.Days.Distinct().Count() != schedule.Days.Length)
                    return ("schedule.days", "A day is listed twice: its windows would overlap.");
                if (schedule.EndDate is { } last && !DatesBetween(schedule.StartDate, last).Any(d => schedule.Days.Contains(d.DayOfWeek)))
                    return ("schedule.days", "None of these days falls between the start and end dates: the plan would never fire.");
                break;
            case CareScheduleKind.EveryNDays:
                if (schedule.N is < 1 or > MaxN)
                    return ("schedule.n", $"N is a whole number of days from 1 to {MaxN}.");
                break;
            default:
                return ("schedule.kind", "The kind is weekly or everyNDays.");
        }
        return null;
    }

    /// <summary>Whether the plan has an occurrence on <paramref name="date"/> (paused or not).</summary>
    public static bool FallsOn(CareSchedule schedule, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (date < schedule.StartDate || (schedule.EndDate is { } end && date > end))
            return false;
        return schedule.Kind switch
        {
            CareScheduleKind.Weekly => schedule.Days.Contains(date.DayOfWeek),
            CareScheduleKind.EveryNDays => (date.DayNumber - schedule.StartDate.DayNumber) % schedule.N == 0,
            _ => false,
        };
    }

    /// <summary>The occurrence on <paramref name="date"/> as instants.</summary>
    public static CareOccurrence On(CareSchedule schedule, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return new(date, Instant(date, schedule.Window.From), Instant(date, schedule.Window.To));
    }

    /// <summary>
    /// The occurrences whose window starts in [<paramref name="from"/>, <paramref name="to"/>), earliest first; none for a
    /// paused plan.
    /// </summary>
    public static IEnumerable<CareOccurrence> Between(CareSchedule schedule, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (schedule.Paused || to <= from)
            yield break;
        var first = DateOnly.FromDateTime(from.ToOffset(ChinaOffset).DateTime);
        var last = DateOnly.FromDateTime(to.ToOffset(ChinaOffset).DateTime);
        if (first < schedule.StartDate)
            first = schedule.StartDate;
        if (schedule.EndDate is { } end && last > end)
            last = end;
        foreach (var date in DatesBetween(first, last))
        {
            if (!FallsOn(schedule, date))
                continue;
            var occurrence = On(schedule, date);
            if (occurrence.From >= from && occurrence.From < to)
                yield return occurrence;
        }
    }

    /// <summary>The first occurrence whose window starts at or after <paramref name="after"/>; null when there is none (ended, paused).</summary>
    public static CareOccurrence? Next(CareSchedule schedule, DateTimeOffset after)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (schedule.Paused)
            return null;
        // Within a year plus one period every schedule that fires at all has fired again.
        var horizon = TimeSpan.FromDays(MaxN + 8);
        return Between(schedule, after, after + horizon).FirstOrDefault();
    }

    private static DateTimeOffset Instant(DateOnly date, TimeOnly time) =>
        new DateTimeOffset(date.ToDateTime(time), ChinaOffset).ToUniversalTime();

    private static IEnumerable<DateOnly> DatesBetween(DateOnly first, DateOnly last)
    {
        for (var date = first; date <= last; date = date.AddDays(1))
            yield return date;
    }
}
