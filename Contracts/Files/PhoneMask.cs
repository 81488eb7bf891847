using PhoneNumbers;

namespace Outreach.Contracts;

/// <summary>Phone numbers as lists show them: the national number with its middle hidden, <c>138****0001</c>.</summary>
public static class PhoneMask
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// The first three and last four digits of the national number with <c>****</c> between (China's usual form) when
    /// it has 11 digits or more; 8 to 10 digits keep only their last four (the usual form would show 7 of 8 digits of
    /// a Hong Kong or Singapore mobile); 7 or fewer keep only their last two. At least four digits stay hidden.
    /// </summary>
    public static string Mask(string e164)
    {
        ArgumentNullException.ThrowIfNull(e164);
        string digits;
        try
        {
            digits = Util.GetNationalSignificantNumber(Util.Parse(e164, "CN"));
        }
        catch (NumberParseException)
        {
            digits = new string([.. e164.Where(char.IsAsciiDigit)]);
        }
        return digits.Length switch
        {
            >= 11 => $"{digits[..3]}****{digits[^4..]}",
            >= 8 => "****" + digits[^4..],
            _ => "****" + digits[Math.Max(0, digits.Length - 2)..],
        };
    }
}
