using Outreach.Model;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary>The server's Chinese category words (<see cref="CategoryNames"/>) are the pages' words (i18n/common.js, zh-CN).</summary>
[Category(TestCategory.Unit)]
public sealed class CategoryNamesTests
{
    [Fact]
    public void Chinese_EveryCategory_IsThePagesWord()
    {
        var common = File.ReadAllText(Path.Combine(RepoPaths.WebContentRoot, "wwwroot", "i18n", "common.js"));
        // The zh-CN table comes first in the file.
        var zh = common[..common.IndexOf("'category.Groceries': 'Groceries'", StringComparison.Ordinal)];

        foreach (var category in Enum.GetValues<HelpCategory>())
            Assert.Contains($"'category.{category}': '{CategoryNames.Chinese(category)}'", zh, StringComparison.Ordinal);
    }
}
