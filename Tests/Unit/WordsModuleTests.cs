using System.Text.Json;
using Outreach.Model;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary>
/// The pages' words module (Web/wwwroot/js/words.js), loaded by Node.js, says what the C# says: the names of
/// <see cref="HelpCategory"/>, <see cref="Urgency"/> and <see cref="TravelMode"/>, in their order. A change to either
/// side alone fails here; the pages take their choices from the module.
/// </summary>
[Category(TestCategory.Unit)]
public sealed class WordsModuleTests
{
    private static readonly Lazy<JsonElement> Module = new(ReadModule);

    [Fact]
    public void Categories_AreTheEnumsNamesInOrder() => Assert.Equal(Enum.GetNames<HelpCategory>(), Strings("categories"));

    [Fact]
    public void Urgencies_AreTheEnumsNamesInOrder() => Assert.Equal(Enum.GetNames<Urgency>(), Strings("urgencies"));

    [Fact]
    public void TravelModes_AreTheEnumsNamesInOrder() => Assert.Equal(Enum.GetNames<TravelMode>(), Strings("travelModes"));

    [Fact]
    public void NoPageScript_ListsTheCategoriesItself()
    {
        var scripts = Directory.GetFiles(Path.Combine(RepoPaths.WebContentRoot, "wwwroot", "js"), "*.js")
            .Where(f => Path.GetFileName(f) != "words.js");
        // A page's own list of the categories: a line naming every one of them (an order of preference may name a few).
        var listing = scripts.Where(f => File.ReadLines(f).Any(line => Enum.GetNames<HelpCategory>().All(c => line.Contains($"'{c}'", StringComparison.Ordinal))))
            .Select(Path.GetFileName);
        Assert.Empty(listing);
    }

    private static string[] Strings(string property) =>
        [.. Module.Value.GetProperty(property).EnumerateArray().Select(e => e.GetString()!)];

    private static JsonElement ReadModule() =>
        PageModule.Read("words.js", "{ categories: m.CATEGORIES, urgencies: m.URGENCIES, travelModes: m.TRAVEL_MODES }");
}
