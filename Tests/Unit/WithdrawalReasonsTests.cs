using System.Reflection;
using System.Text.RegularExpressions;
using Outreach.Live;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary>
/// A withdrawal's reason is a code the volunteer page says in both languages, never an English sentence. The page has
/// no list of its own: a reason with words in its table (<c>volunteer.withdrawn.{code}</c>) is said in them, any other
/// as <c>other</c> (volunteer.js, <c>onOfferWithdrawn</c>); so the table's reasons must be exactly the C# codes.
/// </summary>
[Category(TestCategory.Unit)]
public sealed class WithdrawalReasonsTests
{
    /// <summary>The words for a reason the page does not know.</summary>
    private const string Other = "other";

    private static string[] AllCodes { get; } = [.. typeof(WithdrawalReasons)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (string)f.GetRawConstantValue()!)];

    public static TheoryData<string> Codes() => new(AllCodes);

    [Theory]
    [MemberData(nameof(Codes))]
    public void EveryCode_IsOneWord_WithWordsInBothLanguagesOfTheVolunteerPage(string code)
    {
        Assert.Matches("^[a-z]+$", code);
        Assert.NotEqual(Other, code);
        // One line in the zh-CN table and one in the en table.
        Assert.Equal(2, VolunteerTable().Split($"'volunteer.withdrawn.{code}':").Length - 1);
    }

    [Fact]
    public void TheVolunteerPagesReasons_AreTheCodesAndOther()
    {
        var inTable = Regex.Matches(VolunteerTable(), @"'volunteer\.withdrawn\.(\w+)':").Select(m => m.Groups[1].Value)
            .Distinct().Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(AllCodes.Append(Other).Order(StringComparer.Ordinal).ToArray(), inTable);
    }

    private static string VolunteerTable() =>
        File.ReadAllText(Path.Combine(RepoPaths.WebContentRoot, "wwwroot", "i18n", "volunteer.js"));
}
