using System.Globalization;
using Outreach.Care;

namespace Outreach.Tests.Care;

/// <summary>
/// A care plan window that opens about a given time from now, as a plan writes it (a China date and HH:mm), for
/// tests that wait for an occurrence: every day from that date, so it fires then whatever the day of the week.
/// </summary>
internal sealed record CareWindows(DateOnly Date, string From, string To)
{
    /// <summary>The first whole minute at least <paramref name="ahead"/> from now (China time), for 30 minutes or to 23:59.</summary>
    public static CareWindows OpeningIn(TimeSpan ahead)
    {
        var at = DateTimeOffset.UtcNow.Add(ahead).ToOffset(CareSchedules.ChinaOffset);
        at = new DateTimeOffset(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, at.Offset).AddMinutes(1);
        if (at.Hour == 23 && at.Minute == 59)
            at = at.AddMinutes(1); // a window needs a minute before midnight
        var from = TimeOnly.FromTimeSpan(at.TimeOfDay);
        var to = from.AddMinutes(30) < from || from.AddMinutes(30) > new TimeOnly(23, 59) ? new TimeOnly(23, 59) : from.AddMinutes(30);
        return new(DateOnly.FromDateTime(at.DateTime), Text(from), Text(to));
    }

    /// <summary>The instant the window opens.</summary>
    public DateTimeOffset Opens =>
        new DateTimeOffset(Date.ToDateTime(TimeOnly.ParseExact(From, "HH:mm", CultureInfo.InvariantCulture)), CareSchedules.ChinaOffset);

    /// <summary>The plan's schedule as the API takes it: every day from <see cref="Date"/>, in this window.</summary>
    public object Schedule => new { kind = "everyNDays", n = 1, window = new { from = From, to = To } };

    public CareSchedule ToSchedule() => new(CareScheduleKind.EveryNDays, [], 1,
        new CareWindow(TimeOnly.ParseExact(From, "HH:mm", CultureInfo.InvariantCulture), TimeOnly.ParseExact(To, "HH:mm", CultureInfo.InvariantCulture)),
        Date, null, Paused: false);

    private static string Text(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);
}
