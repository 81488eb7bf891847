using System.Collections.Frozen;
using System.Globalization;

namespace Outreach.Web.Infrastructure;

/// <summary>
/// The rule for text anywhere in the input: no control characters — C0 (U+0000–U+001F), DEL (U+007F) or C1
/// (U+0080–U+009F): PostgreSQL's jsonb refuses U+0000, and none belongs in a name, a phone number or an address
/// (C1 controls such as U+0085 or U+009B are line breaks and terminal escapes in disguise). Free text — the JSON
/// properties <see cref="FreeTextFields"/> — may hold tab, line feed and carriage return, and no other control.
/// </summary>
public static class InputText
{
    /// <summary>The JSON property names whose values are free text (a person's own words).</summary>
    public static FrozenSet<string> FreeTextFields { get; } = FrozenSet.Create(StringComparer.Ordinal, "description", "note", "notes", "reason");

    /// <summary>Why <paramref name="text"/> is not acceptable, or null when it is.</summary>
    public static string? Problem(string text, bool freeText = false)
    {
        foreach (var c in text)
        {
            if (c is >= ' ' and < '\u007F' or > '\u009F')
                continue;
            if (freeText && c is '\t' or '\n' or '\r')
                continue;
            var code = ((int)c).ToString("X4", CultureInfo.InvariantCulture);
            return freeText
                ? $"Control character U+{code} is not allowed; free text may contain tab, line feed and carriage return only."
                : $"Control character U+{code} is not allowed (tab and line breaks only in description, note, notes and reason).";
        }
        return null;
    }
}
