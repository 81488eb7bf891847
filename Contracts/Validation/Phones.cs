using PhoneNumbers;

namespace Outreach.Contracts;

/// <summary>
/// Phone numbers as callers type them ("138 0393 0001", "+86-138-0393-0001", "0393-4812345") reduced to
/// one E.164 form, so a family is found however the number was written. Mainland China is the default region.
/// </summary>
public static class Phones
{
    private const string DefaultRegion = "CN";
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// The E.164 form (e.g. <c>+8613803930001</c>), or null when the text is not a valid phone number. Only digits,
    /// spaces, <c>-</c>, <c>.</c>, <c>(</c>, <c>)</c> and one leading <c>+</c> may appear: libphonenumber alone
    /// reads past letters and junk (<c>13800001111x</c>, an extension).
    /// </summary>
    public static string? Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 32 || !HasOnlyPhoneCharacters(text))
            return null;
        try
        {
            var number = Util.Parse(text, DefaultRegion);
            return Util.IsValidNumber(number) && !number.HasExtension ? Util.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>Digits (any script's decimal digits) and the separators people type; a <c>+</c> only first (after spaces).</summary>
    internal static bool HasOnlyPhoneCharacters(string text)
    {
        var trimmed = text.AsSpan().Trim(' ');
        for (var i = 0; i < trimmed.Length; i++)
        {
            var ok = trimmed[i] switch
            {
                var digit when char.IsDigit(digit) => true, // also the full-width digits of a Chinese input method
                ' ' or '-' or '.' or '(' or ')' => true,
                '+' => i == 0,
                _ => false,
            };
            if (!ok)
                return false;
        }
        return true;
    }
}
