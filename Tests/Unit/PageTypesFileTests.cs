using Outreach.Tests.Api;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary>
/// <c>Web/types/api.d.ts</c> keeps the format <see cref="PageTypes"/> reads, so that
/// <c>OperationsTests.OpenApi_HoldsEveryPropertyOfThePagesTypes</c> (a real web node's OpenAPI document) sees every
/// interface: each has a doc comment naming its schema, and its properties.
/// </summary>
[Category(TestCategory.Unit)]
public sealed class PageTypesFileTests
{
    [Fact]
    public void EveryInterface_HasADocCommentNamingItsSchema()
    {
        var text = PageTypes.Text;

        Assert.Equal(PageTypes.InterfaceNames(text), PageTypes.Read(text).Select(t => t.Name));
        Assert.Empty(PageTypes.WithoutSchemaTag(text));
    }

    [Fact]
    public void EveryInterface_HasProperties_WhoseJsonTypeCanBeTold()
    {
        var text = PageTypes.Text;

        foreach (var type in PageTypes.Read(text))
        {
            Assert.True(type.Properties.Length > 0, $"{type.Name}: no property read");
            foreach (var property in type.Properties)
                Assert.True(PageTypes.JsonTypeOf(property.Type, text) is not null, $"{type.Name}.{property.Name}: the JSON type of {property.Type} cannot be told");
        }
    }

    [Fact]
    public void Read_TakesTheSchemaTagThePropertiesAndWhetherTheyMayBeAbsent()
    {
        const string text = """
            export type Instant = string;

            /** A thing. @schema ThingDto */
            export interface Thing {
              id: string;
              /** A note. */
              at?: Instant | null;
              tags: string[];
            }

            /** Not in the document. @schema none: why. */
            export interface Other {
              kind: 'a' | 'b';
            }
            """;

        var types = PageTypes.Read(text);

        Assert.Equal(["Thing", "Other"], types.Select(t => t.Name));
        Assert.Equal("ThingDto", types[0].Schema);
        Assert.Null(types[1].Schema);
        Assert.Equal([new PageProperty("id", false, "string"), new PageProperty("at", true, "Instant | null"), new PageProperty("tags", false, "string[]")],
            types[0].Properties);
        string?[] jsonTypes = [.. types[0].Properties.Select(p => PageTypes.JsonTypeOf(p.Type, text)), PageTypes.JsonTypeOf(types[1].Properties[0].Type, text)];
        Assert.Equal("string string array string", string.Join(' ', jsonTypes));
    }
}
