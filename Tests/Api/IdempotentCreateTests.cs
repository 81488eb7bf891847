using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Api;

/// <summary>Creates of stations, files and volunteers sent again with the same <c>Idempotency-Key</c> create nothing new.</summary>
[Collection(SystemCollection.Name)]
[Category(TestCategory.System)]
public sealed class IdempotentCreateTests(SystemFixture fixture)
{
    private static async Task<(HttpStatusCode Status, JsonNode? Body, bool Replayed)> PostAsync(ApiClient client, string path, string json, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null)
            request.Headers.Add("Idempotency-Key", key);
        using var response = await client.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text),
            response.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.Contains("true"));
    }

    public static TheoryData<string, string> Creates => new()
    {
        { "/api/stations", """{"name": "NAME", "address": "华龙区 胜利路 100号", "position": {"lat": 35.765, "lon": 115.025}}""" },
        { "/api/workers", """{"workerName": "NAME", "addresses": [{"label": "家", "text": "华龙区 中原路", "position": {"lat": 35.76, "lon": 115.03}}]}""" },
        { "/api/volunteers", """{"name": "NAME", "phone": "13912345678", "skills": ["Meals"], "travelMode": "Bike"}""" },
    };

    [Theory]
    [MemberData(nameof(Creates))]
    public async Task Create_SameKeyTwice_AnswersTheSameId_MarkedReplayed_AndListsOne(string path, string json)
    {
        using var admin = await fixture.Web.AdminAsync();
        var name = "幂等-" + Guid.NewGuid().ToString("N")[..8];
        json = json.Replace("NAME", name, StringComparison.Ordinal);
        var key = "retry-" + Guid.NewGuid();

        var first = await PostAsync(admin, path, json, key);
        var again = await PostAsync(admin, path, json, key);
        var other = await PostAsync(admin, path, json, null);
        // Files are listed in pages (a search by the fresh name finds both); stations and volunteers whole.
        var (_, list) = path == "/api/workers" ? await FamilyFiles.SearchAsync(admin, name) : await admin.GetAsync(path);
        var entries = list as JsonArray ?? list!["items"]!.AsArray();

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.Created, again.Status);
        Assert.False(first.Replayed);
        Assert.True(again.Replayed);
        Assert.Equal(first.Body!["id"]!.GetValue<Guid>(), again.Body!["id"]!.GetValue<Guid>());
        Assert.NotEqual(first.Body["id"]!.GetValue<Guid>(), other.Body!["id"]!.GetValue<Guid>());
        var nameField = path == "/api/workers" ? "workerName" : "name";
        Assert.Equal(2, entries.Count(e => e![nameField]!.GetValue<string>() == name));
    }

    [Theory]
    [InlineData("/api/stations", "not a key")]
    [InlineData("/api/stations", "")]
    [InlineData("/api/requests", "")]
    public async Task Create_KeyWithSpacesOrSentEmpty_Returns400NamingTheHeader(string path, string key)
    {
        using var admin = await fixture.Web.AdminAsync();
        var body = path == "/api/stations"
            ? """{"name": "甲", "address": "华龙区 胜利路 100号", "position": {"lat": 35.765, "lon": 115.025}}"""
            : """{"callerPhone": "13803930001", "category": "Meals", "urgency": "Routine", "position": {"lat": 35.765, "lon": 115.025}, "address": "华龙区 胜利路 100号"}""";

        var (status, problem, _) = await PostAsync(admin, path, body, key);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Idempotency-Key", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
