using System.Globalization;
using System.Text.RegularExpressions;

namespace Outreach.Web.Dispatch;

/// <summary>Reading ISO-8601 times from query strings, and the start of the day as China counts it (UTC+8, no daylight saving).</summary>
public static partial class IsoTime
{
    /// <summary>The hotline's time zone offset: China Standard Time.</summary>
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>
    /// Reads <c>2026-11-05</c>, <c>2026-11-05T08:30</c>, <c>2026-11-05T08:30:00.5Z</c> or <c>…+08:00</c>;
    /// a time without an offset is UTC, as everywhere in the API.
    /// </summary>
    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        return Iso8601().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    /// <summary>Midnight at the start of <paramref name="now"/>'s day in China time, as a UTC instant.</summary>
    public static DateTimeOffset StartOfChinaDay(DateTimeOffset now)
    {
        var local = now.ToOffset(ChinaOffset);
        return new DateTimeOffset(local.Date, ChinaOffset).ToUniversalTime();
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Iso8601();
}
