using System.Net;
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
        var web = await admin.Http.GetStringAsync("/metrics");

        Assert.True(Value(silo, "outreach_requests_created_total", "category=\"Medicine\"", "urgency=\"Emergency\"") >= 1, silo);
        Assert.True(Value(silo, "outreach_requests_transitions_total", "status=\"Claimed\"") >= 1);
        Assert.True(Value(silo, "outreach_requests_offers_count", "urgency=\"Emergency\"") >= 1);
        Assert.True(Value(silo, "outreach_requests_time_to_claim_seconds_count", "urgency=\"Emergency\"") >= 1);
        Assert.True(Value(silo, "outreach_requests_time_to_first_offer_seconds_count", "urgency=\"Emergency\"") >= 1);
        Assert.True(Value(silo, "outreach_claims_conflicts_total") >= 1);
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
