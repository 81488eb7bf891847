using System.Globalization;
using Outreach.Web.Dispatch;

namespace Outreach.Web.Hours;

/// <summary>
/// A period of whole days in China Standard Time (UTC+8, no daylight saving), as the union counts service hours:
/// from the start of <see cref="From"/> to the end of <see cref="To"/> (both included).
/// </summary>
public sealed record ServicePeriod(DateOnly From, DateOnly To)
{
    public const string DateFormat = "yyyy-MM-dd";

    /// <summary>The first instant of the period (midnight of <see cref="From"/> in China), as UTC.</summary>
    public DateTimeOffset Start => Midnight(From);

    /// <summary>The first instant after the period (midnight after <see cref="To"/> in China), as UTC.</summary>
    public DateTimeOffset End => Midnight(To.AddDays(1));

    public string FromText => From.ToString(DateFormat, CultureInfo.InvariantCulture);

    public string ToText => To.ToString(DateFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads <c>from</c> and <c>to</c> (<c>yyyy-MM-dd</c>, China's calendar days); a missing <c>from</c> is the first day of
    /// the month of <paramref name="now"/> in China, a missing <c>to</c> that day itself. Null and the field at fault
    /// (with why) when a date is not one, or <c>to</c> is before <c>from</c>.
    /// </summary>
    public static ServicePeriod? Read(string? from, string? to, DateTimeOffset now, out string? field, out string? problem)
    {
        var today = DateOnly.FromDateTime(now.ToOffset(IsoTime.ChinaOffset).DateTime);
        field = problem = null;
        if (!TryDate(from, new DateOnly(today.Year, today.Month, 1), out var first))
        {
            (field, problem) = ("from", "A date is yyyy-MM-dd (a day in China Standard Time).");
            return null;
        }
        if (!TryDate(to, today, out var last))
        {
            (field, problem) = ("to", "A date is yyyy-MM-dd (a day in China Standard Time).");
            return null;
        }
        if (last < first)
        {
            (field, problem) = ("to", "The period ends before it starts.");
            return null;
        }
        return new ServicePeriod(first, last);
    }

    /// <summary>Midnight at the start of the month of <paramref name="now"/> in China, as UTC.</summary>
    public static DateTimeOffset StartOfChinaMonth(DateTimeOffset now)
    {
        var local = now.ToOffset(IsoTime.ChinaOffset);
        return Midnight(new DateOnly(local.Year, local.Month, 1));
    }

    /// <summary>Midnight at the start of the year of <paramref name="now"/> in China, as UTC.</summary>
    public static DateTimeOffset StartOfChinaYear(DateTimeOffset now) =>
        Midnight(new DateOnly(now.ToOffset(IsoTime.ChinaOffset).Year, 1, 1));

    private static DateTimeOffset Midnight(DateOnly day) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), IsoTime.ChinaOffset).ToUniversalTime();

    private static bool TryDate(string? text, DateOnly fallback, out DateOnly day)
    {
        if (string.IsNullOrEmpty(text))
        {
            day = fallback;
            return true;
        }
        return DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out day)
            && day.Year is >= 2000 and <= 2999;
    }
}
