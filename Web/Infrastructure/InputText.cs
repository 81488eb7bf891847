using System.Collections.Frozen;
using System.Globalization;

namespace Outreach.Web.Infrastructure;

/// <summary>
/// The rule for text anywhere in the input: no control characters — C0 (U+0000–U+001F), DEL (U+007F) or C1
/// (U+0080–U+009F): PostgreSQL's jsonb refuses U+0000, and none belongs in a name, a phone number or an address
/// (C1 controls such as U+0085 or U+009B are line breaks and terminal escapes in disguise). Free text — the JSON
/// properties <see cref="FreeTextFields"/> — may hold tab, line feed and carriage return, and no other control. Nor
/// invisible formatting characters (zero-width space, direction overrides and isolates), anywhere.
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
            if (IsInvisibleFormatting(c))
                return $"Invisible formatting character U+{((int)c).ToString("X4", CultureInfo.InvariantCulture)} is not allowed (it hides or reorders what is shown).";
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

    /// <summary>
    /// Zero-width space, direction marks (U+061C too), embeddings and overrides, isolates, word joiner and invisible
    /// operators, a byte-order mark inside text, the soft hyphen, the combining grapheme joiner, the Mongolian vowel
    /// separator, the line and paragraph separators (line breaks in disguise), and the letters that draw nothing (Hangul
    /// fillers, the blank Braille pattern): a name or an address of nothing but these looks blank, and an override
    /// shows its text reversed (an address or a note that reads other than it is stored). The zero-width joiner of
    /// emoji stays allowed.
    /// </summary>
    private static bool IsInvisibleFormatting(char c) =>
        c is '\u200B' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2060' and <= '\u2064')
            or (>= '\u2066' and <= '\u2069') or '\uFEFF'
            or '\u00AD' or '\u034F' or '\u061C' or '\u180E' or '\u2028' or '\u2029'
            or '\u115F' or '\u1160' or '\u3164' or '\uFFA0' or '\u2800';
}
