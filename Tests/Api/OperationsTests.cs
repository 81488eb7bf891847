using System.Net;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Api;

[Collection(SystemCollection.Name)]
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
}
