using PhoneNumbers;

namespace Outreach.Contracts;

/// <summary>Phone numbers as lists show them: the national number with its middle hidden, <c>138****0001</c>.</summary>
public static class PhoneMask
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// The first three and last four digits of the national number with <c>****</c> between (China's usual form);
    /// a number of 7 digits or fewer keeps only its last two.
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
        return digits.Length > 7 ? $"{digits[..3]}****{digits[^4..]}" : "****" + digits[Math.Max(0, digits.Length - 2)..];
    }
}
