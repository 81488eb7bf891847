using System.Net;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Security;

/// <summary>Browser protections are on every response: pages, the API, errors, static files, health.</summary>
[Collection(SystemCollection.Name)]
[Category(TestCategory.System)]
public sealed class SecurityHeadersTests(SystemFixture fixture)
{
    [Theory]
    [InlineData("/login", HttpStatusCode.OK)]
    [InlineData("/api/config", HttpStatusCode.OK)]
    [InlineData("/api/me", HttpStatusCode.Unauthorized)]
    [InlineData("/api/workers", HttpStatusCode.Unauthorized)]
    [InlineData("/healthz", HttpStatusCode.OK)]
    [InlineData("/js/i18n.js", HttpStatusCode.OK)]
    [InlineData("/lib/leaflet/leaflet.js", HttpStatusCode.OK)]
    public async Task Response_CarriesTheSecurityHeaders(string path, HttpStatusCode expected)
    {
        using var client = fixture.Web.Anonymous();

        using var response = await client.Http.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        var csp = Header(response, "Content-Security-Policy");
        foreach (var directive in new[]
                 {
                     "default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
                     "frame-ancestors 'none'", "base-uri 'self'", "connect-src 'self'", "form-action 'self'",
                 })
        {
            Assert.Contains(directive, csp, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Contains("geolocation=()", Header(response, "Permissions-Policy"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VolunteerPage_AllowsGeolocationForItself_OtherPagesNowhere()
    {
        using var volunteer = await TestUsers.CreateAsync(fixture.Web, "volunteer");
        using var coordinator = await TestUsers.CreateAsync(fixture.Web, "coordinator");

        using var own = await volunteer.Client.Http.GetAsync("/volunteer");
        using var desk = await coordinator.Client.Http.GetAsync("/coordinator");
        using var api = await volunteer.Client.Http.GetAsync("/api/volunteers/me");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Matches(@"(^|, )geolocation=\(?self\)?(,|$)", Header(own, "Permissions-Policy"));
        Assert.Contains("camera=()", Header(own, "Permissions-Policy"), StringComparison.Ordinal);
        Assert.Contains("geolocation=()", Header(desk, "Permissions-Policy"), StringComparison.Ordinal);
        Assert.Contains("geolocation=()", Header(api, "Permissions-Policy"), StringComparison.Ordinal);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"{name} is missing on {response.RequestMessage?.RequestUri?.PathAndQuery}");
}
