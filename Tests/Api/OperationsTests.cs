using System.Net;
using System.Text.Json.Nodes;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Api;

[Collection(SystemCollection.Name)]
[Category(TestCategory.System)]
public sealed class OperationsTests(SystemFixture fixture)
{
    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Health_Anonymous_Returns200(string path)
    {
        using var client = fixture.Web.Anonymous();

        var (status, body) = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotNull(body!["status"]);
    }

    [Theory]
    [InlineData("/metrics")]
    [InlineData("/openapi/v1.json")]
    public async Task OperationalEndpoint_Anonymous401_Staff403_Admin200(string path)
    {
        using var anonymous = fixture.Web.Anonymous();
        using var coordinator = await TestUsers.CreateAsync(fixture.Web, "coordinator");
        using var admin = await fixture.Web.AdminAsync();

        using var refused = await anonymous.Http.GetAsync(path);
        using var forbidden = await coordinator.Client.Http.GetAsync(path);
        using var allowed = await admin.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task OpenApi_DescribesTheContractsRoutes()
    {
        using var client = await fixture.Web.AdminAsync();

        var (status, document) = await client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, status);
        var paths = document!["paths"]!.AsObject().Select(p => p.Key).ToArray();
        Assert.Contains("/api/auth/login", paths);
        Assert.Contains("/api/workers/{id}", paths);
        Assert.Contains("/api/volunteers/me/position", paths);
    }

    /// <summary>
    /// The pages' hand-written types of the API (<c>Web/types/api.d.ts</c>, which <c>tsc</c> holds the page scripts to)
    /// against the OpenAPI document: every property of an interface is in the schema it names, with the same JSON type
    /// (<c>| null</c> aside; a schema that does not say its type is not compared). A field renamed or dropped in a C#
    /// record fails here, not in a browser.
    /// </summary>
    [Fact]
    public async Task OpenApi_HoldsEveryPropertyOfThePagesTypes()
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

    [Fact]
    public async Task Metrics_WebAndSilo_ExposeAspNetCoreAndOrleansMeters()
    {
        using var client = await fixture.Web.AdminAsync();
        await client.GetAsync("/api/stations");

        var web = await client.Http.GetStringAsync("/metrics");
        var silo = await client.Http.GetStringAsync(new Uri(fixture.System.Silos[0].Url, "/metrics"));

        Assert.Contains("http_server_request_duration_seconds", web, StringComparison.Ordinal);
        Assert.Contains("orleans_", silo, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_CountDispatch_OnTheOutreachMeter()
    {
        var scene = new Dispatch.Scene(fixture.Web);
        using var op = await TestUsers.CreateAsync(fixture.Web, "operator");
        using var first = await scene.VolunteerAsync(scene.Offset(100, 0));
        using var second = await scene.VolunteerAsync(scene.Offset(0, 120));
        await using var live = await Live.LiveListener.ConnectAsync("volunteer", fixture.Web, first.Client.Cookies);
        var id = await scene.RequestAsync(op.Client, category: "Medicine", urgency: "Emergency");
        Assert.Equal(HttpStatusCode.OK, (await first.Client.PostAsync($"/api/requests/{id}/claim", null)).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await second.Client.PostAsync($"/api/requests/{id}/claim", null)).Status);
        using var admin = await fixture.Web.AdminAsync();

        var silo = await admin.Http.GetStringAsync(new Uri(fixture.System.Silos[0].Url, "/metrics"));
        // The hub counts a connection once its OnConnectedAsync ran, which can end just after the client's start did.
        var web = await admin.Http.GetStringAsync("/metrics");
        for (var i = 0; i < 100 && Value(web, "outreach_live_connections", "kind=\"volunteer\"") < 1; i++)
        {
            await Task.Delay(100);
            web = await admin.Http.GetStringAsync("/metrics");
        }

        Assert.True(Value(silo, "outreach_requests_created_total", "category=\"Medicine\"", "urgency=\"Emergency\"") >= 1, silo);
        Assert.True(Value(silo, "outreach_requests_transitions_total", "status=\"Claimed\"") >= 1);
        Assert.True(Value(silo, "outreach_requests_offers_count", "urgency=\"Emergency\"") >= 1);
        Assert.True(Value(silo, "outreach_requests_time_to_claim_seconds_count", "urgency=\"Emergency\"") >= 1);
        Assert.True(Value(silo, "outreach_requests_time_to_first_offer_seconds_count", "urgency=\"Emergency\"") >= 1);
        Assert.True(Value(silo, "outreach_claims_conflicts_total") >= 1);
        // The request's search ranked the cells near it on whichever silo holds the request.
        var cellsSearched = 0.0;
        foreach (var node in fixture.System.Silos)
        {
            var figures = await admin.Http.GetStringAsync(new Uri(node.Url, "/metrics"));
            cellsSearched += Math.Max(0, Value(figures, "outreach_dispatch_cells_searched_total", "where=\"in_place\""))
                + Math.Max(0, Value(figures, "outreach_dispatch_cells_searched_total", "where=\"by_call\""));
        }
        Assert.True(cellsSearched >= 1, silo);
        Assert.True(Value(web, "outreach_positions_reported_total") >= 2);
        Assert.True(Value(web, "outreach_live_connections", "kind=\"volunteer\"") >= 1, web);
    }

    /// <summary>The value of the first Prometheus sample of <paramref name="name"/> with all these labels; −1 when none.</summary>
    private static double Value(string exposition, string name, params string[] labels)
    {
        // name{labels} value [timestamp]
        var line = exposition.Split('\n').FirstOrDefault(l =>
            (l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
            && labels.All(label => l.Contains(label, StringComparison.Ordinal)));
        if (line is null)
            return -1;
        var value = line.Contains('}', StringComparison.Ordinal) ? line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0] : line.Split(' ')[1];
        return double.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
