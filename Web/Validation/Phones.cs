using PhoneNumbers;

namespace Outreach.Web.Validation;

/// <summary>
/// Phone numbers as callers type them ("138 0393 0001", "+86-138-0393-0001", "0393-4812345") reduced to
/// one E.164 form, so a family is found however the number was written. Mainland China is the default region.
/// </summary>
public static class Phones
{
    private const string DefaultRegion = "CN";
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>The E.164 form (e.g. <c>+8613803930001</c>), or null when the text is not a valid phone number.</summary>
    public static string? Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 32)
            return null;
        try
        {
            var number = Util.Parse(text, DefaultRegion);
            return Util.IsValidNumber(number) ? Util.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }
}
