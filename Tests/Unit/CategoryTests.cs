using System.Reflection;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary>Every test class says what it needs (one <see cref="CategoryAttribute"/>), so no test escapes <c>./test.sh --unit</c>'s filter.</summary>
[Category(TestCategory.Unit)]
public sealed class CategoryTests
{
    private static readonly Type[] TestClasses = [.. typeof(CategoryTests).Assembly.GetTypes()
        .Where(t => t.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
            .Any(m => m.IsDefined(typeof(FactAttribute), inherit: true)))];

    [Fact]
    public void EveryTestClass_HasExactlyOneCategory()
    {
        Assert.NotEmpty(TestClasses);
        var wrong = TestClasses
            .Where(t => t.GetCustomAttributes<CategoryAttribute>(inherit: true).Count() != 1)
            .Select(t => t.FullName)
            .ToArray();
        Assert.True(wrong.Length == 0, "Test classes without exactly one [Category(...)]: " + string.Join(", ", wrong));
    }

    [Fact]
    public void NoTestClass_SetsTheCategoryTraitByHand()
    {
        var byHand = TestClasses
            .Where(t => t.GetCustomAttributes<TraitAttribute>(inherit: true).Any()
                || t.GetMethods().Any(m => m.GetCustomAttributes<TraitAttribute>().Any()))
            .Select(t => t.FullName)
            .ToArray();
        Assert.True(byHand.Length == 0, "Test classes with a [Trait] beside [Category]: " + string.Join(", ", byHand));
    }

    [Fact]
    public void UnitTests_NeedNoFixture()
    {
        // A unit test class takes nothing from a fixture: no cluster, no database, no process, no browser.
        var withFixtures = TestClasses
            .Where(t => t.GetCustomAttribute<CategoryAttribute>()?.Category == TestCategory.Unit)
            .Where(t => t.IsDefined(typeof(CollectionAttribute)) || t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IClassFixture<>)))
            .Select(t => t.FullName)
            .ToArray();
        Assert.True(withFixtures.Length == 0, "Unit test classes with a fixture: " + string.Join(", ", withFixtures));
    }
}
