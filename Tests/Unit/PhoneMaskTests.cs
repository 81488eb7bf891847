using Outreach.Contracts;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary>A list's masked numbers hide at least four digits, however long the national number is.</summary>
[Category(TestCategory.Unit)]
public sealed class PhoneMaskTests
{
    [Theory]
    [InlineData("+8613803930001", "138****0001")] // a mainland mobile: China's usual form
    [InlineData("+863934812345", "****2345")] // a landline with its area code, 10 digits
    [InlineData("+85291234567", "****4567")] // Hong Kong mobile, 8 digits: the usual form would show 7 of them
    [InlineData("+6591234567", "****4567")] // Singapore, 8 digits
    [InlineData("+85366123456", "****3456")] // Macau, 8 digits
    [InlineData("+16502530000", "****0000")] // US, 10 digits
    [InlineData("+8612345", "****45")]
    public void Mask_HidesAtLeastFourDigits(string e164, string masked)
    {
        var shown = PhoneMask.Mask(e164);

        Assert.Equal(masked, shown);
        var digits = e164.Count(char.IsAsciiDigit);
        Assert.True(shown.Count(char.IsAsciiDigit) <= digits - 4 || digits <= 6, $"{shown} shows too much of {e164}");
    }
}
