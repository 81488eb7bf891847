using Xunit.Abstractions;
using Xunit.Sdk;

namespace Outreach.Tests.Infrastructure;

/// <summary>
/// What a test class needs to run, from nothing to a browser. Each test class names exactly one
/// (<see cref="CategoryAttribute"/>; <c>CategoryTests</c> checks), and <c>./test.sh --unit</c> runs only <see cref="Unit"/>.
/// </summary>
public enum TestCategory
{
    /// <summary>Pure code: no database, no Orleans, no process, no browser.</summary>
    Unit,
    /// <summary>The project's own SQL and stores on the real PostgreSQL, without Orleans.</summary>
    Database,
    /// <summary>Grains in an in-process Orleans cluster (<c>InProcessTestCluster</c>) on the real PostgreSQL.</summary>
    Grains,
    /// <summary>Real processes: a silo and a web node (<c>OutreachSystem</c>), sometimes several.</summary>
    System,
    /// <summary>Pages in headless Chromium (Playwright) against real processes.</summary>
    Browser,
}

/// <summary>
/// The test class's category, as the xunit trait <c>Category</c> (filter: <c>--filter Category=Unit</c>).
/// </summary>
[TraitDiscoverer("Outreach.Tests.Infrastructure.CategoryDiscoverer", "Outreach.Tests")]
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class CategoryAttribute(TestCategory category) : Attribute, ITraitAttribute
{
    /// <summary>The trait's name.</summary>
    public const string Trait = "Category";

    public TestCategory Category { get; } = category;
}

/// <summary>Turns <see cref="CategoryAttribute"/> into the trait <c>Category=…</c>.</summary>
public sealed class CategoryDiscoverer : ITraitDiscoverer
{
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute)
    {
        var argument = traitAttribute.GetConstructorArguments().Single();
        var category = argument as TestCategory? ?? (TestCategory)Convert.ToInt32(argument, System.Globalization.CultureInfo.InvariantCulture);
        yield return new(CategoryAttribute.Trait, category.ToString());
    }
}
