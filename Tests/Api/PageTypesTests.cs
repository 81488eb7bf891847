using System.Net;
using System.Text.Json.Nodes;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Api;

/// <summary>
/// The pages' hand-written types of the API (<c>Web/types/api.d.ts</c>, which <c>tsc</c> holds the page scripts to)
/// against what the web serves: its OpenAPI document. Every property of an interface is in the schema it names, with
/// the same JSON type (<c>| null</c> aside; a schema that does not say its type is not compared). A field renamed or
/// dropped in a C# record fails here, not in a browser.
/// </summary>
[Collection(SystemCollection.Name)]
[Category(TestCategory.System)]
public sealed class PageTypesTests(SystemFixture fixture)
{
    [Fact]
    public async Task ApiTypes_AreInTheOpenApiDocument_PropertyByProperty()
    {
        using var admin = await fixture.Web.AdminAsync();
        var (status, document) = await admin.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, status);
        var schemas = document!["components"]!["schemas"]!.AsObject();
        var text = PageTypes.Text;

        var drift = new List<string>();
        foreach (var type in PageTypes.Read(text).Where(t => t.Schema is not null))
        {
            if (schemas[type.Schema!]?["properties"]?.AsObject() is not { } properties)
            {
                drift.Add($"{type.Name}: no schema {type.Schema} with properties in the document");
                continue;
            }
            foreach (var property in type.Properties)
            {
                if (properties[property.Name] is not { } served)
                {
                    drift.Add($"{type.Name}.{property.Name}: not a property of {type.Schema} ({string.Join(", ", properties.Select(p => p.Key))})");
                    continue;
                }
                var written = PageTypes.JsonTypeOf(property.Type, text);
                var types = JsonTypes(served, schemas);
                if (types.Count > 0 && written is not null && !types.Contains(written))
                    drift.Add($"{type.Name}.{property.Name}: {property.Type} ({written}) in api.d.ts, {string.Join(" | ", types)} in {type.Schema}");
            }
        }

        Assert.True(drift.Count == 0, "Web/types/api.d.ts and the OpenAPI document differ:\n" + string.Join("\n", drift));
    }

    /// <summary>
    /// The JSON types a property's schema admits, <c>null</c> aside and <c>integer</c> counted as <c>number</c>: its
    /// <c>type</c>, the schema it refers to, or its <c>oneOf</c>/<c>anyOf</c>/<c>allOf</c>; empty when it does not say.
    /// </summary>
    private static HashSet<string> JsonTypes(JsonNode schema, JsonObject schemas)
    {
        var types = new HashSet<string>();
        switch (schema["type"])
        {
            case JsonArray many:
                types.UnionWith(many.Select(t => t!.GetValue<string>()));
                break;
            case JsonValue one:
                types.Add(one.GetValue<string>());
                break;
        }
        if (schema["$ref"]?.GetValue<string>() is { } reference && schemas[reference.Split('/')[^1]] is { } referred)
            types.UnionWith(JsonTypes(referred, schemas));
        foreach (var combinator in new[] { "oneOf", "anyOf", "allOf" })
        {
            foreach (var member in schema[combinator]?.AsArray() ?? [])
                types.UnionWith(JsonTypes(member!, schemas));
        }
        if (types.Remove("integer"))
            types.Add("number");
        types.Remove("null");
        return types;
    }
}
