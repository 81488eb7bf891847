using System.Reflection;
using Outreach.Live;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary>A withdrawal's reason is a code the volunteer page says in both languages, never an English sentence.</summary>
[Category(TestCategory.Unit)]
public sealed class WithdrawalReasonsTests
{
    public static TheoryData<string> Codes() => new(typeof(WithdrawalReasons)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (string)f.GetRawConstantValue()!));

    [Theory]
    [MemberData(nameof(Codes))]
    public void EveryCode_IsOneWord_WithWordsInBothLanguagesOfTheVolunteerPage(string code)
    {
        Assert.Matches("^[a-z]+$", code);
        var table = File.ReadAllText(Path.Combine(RepoPaths.WebContentRoot, "wwwroot", "i18n", "volunteer.js"));
        // One line in the zh-CN table and one in the en table.
        Assert.Equal(2, table.Split($"'volunteer.withdrawn.{code}':").Length - 1);
    }
}
