using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Outreach.ServiceDefaults;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Security;

/// <summary>
/// The web app in process (<see cref="WebApplicationFactory{TEntryPoint}"/> on the Web project's Program) joined to
/// a real silo, plus a real web node to make the users. Its <see cref="EndpointDataSource"/> is the route table.
/// </summary>
public sealed class MatrixSystem : IAsyncLifetime
{
    private OutreachSystem? _system;

    public OutreachSystem System => _system ?? throw new InvalidOperationException("The system is not started.");

    public WebApplicationFactory<Program> App { get; private set; } = null!;

    /// <summary>Cookie header per role (anonymous: none).</summary>
    public Dictionary<string, string?> Cookies { get; } = [];

    public async Task InitializeAsync()
    {
        _system = await OutreachSystem.StartAsync("matrix");
        App = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            // As the test web nodes run (plain http): their login cookies are the ones this app must read.
            web.UseEnvironment("Development");
            web.UseContentRoot(RepoPaths.WebContentRoot);
            web.UseSetting("ConnectionStrings:Outreach", _system.ProcessConnectionString);
            web.UseSetting("Orleans:ClusterId", _system.ClusterId);
            web.UseSetting("Orleans:ServiceId", OutreachCluster.DefaultServiceId);
            web.UseSetting("Outreach:BootstrapAdmin:Login", OutreachSystem.AdminLogin);
            web.UseSetting("Outreach:BootstrapAdmin:Password", OutreachSystem.AdminPassword);
            web.UseSetting("Outreach:PhoneKey", TestSecrets.PhoneKey);
            foreach (var (key, value) in TestCertificate.Settings)
                web.UseSetting(key.Replace("__", ":", StringComparison.Ordinal), value);
        });
        Cookies[AuthorizationMatrixTests.Anonymous] = null;
        foreach (var role in new[] { "volunteer", "operator", "coordinator", "admin" })
        {
            var user = await TestUsers.CreateAsync(System.Web, role);
            Cookies[role] = user.Client.Cookies.GetCookieHeader(System.Web.Url);
            user.Dispose();
        }
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
            await App.DisposeAsync();
        if (_system is not null)
            await _system.DisposeAsync();
    }
}

/// <summary>
/// Every route × every role → allowed or refused, as the table below says. A route the app maps but the table does
/// not name fails the test: a new route needs an explicit decision about who may call it.
/// </summary>
[Category(TestCategory.System)]
public sealed class AuthorizationMatrixTests(MatrixSystem fixture) : IClassFixture<MatrixSystem>
{
    public const string Anonymous = "anonymous";

    private static readonly string[] Roles = [Anonymous, "volunteer", "operator", "coordinator", "admin"];

    // Who may call each route. Everything else must be refused: 401 (API, hub) or a redirect to /login (pages) when
    // anonymous, 403 (API, hub, or the forbidden page) when logged in with another role.
    private static readonly string[] Anyone = [Anonymous, "volunteer", "operator", "coordinator", "admin"];
    private static readonly string[] LoggedIn = ["volunteer", "operator", "coordinator", "admin"];
    private static readonly string[] Hotline = ["operator", "coordinator", "admin"];
    private static readonly string[] Coordination = ["coordinator", "admin"];
    private static readonly string[] VolunteerOnly = ["volunteer"];
    private static readonly string[] AdminOnly = ["admin"];

    private static readonly Dictionary<string, string[]> Expected = new()
    {
        // Pages and operations
        ["GET /"] = Anyone,
        ["GET /login"] = Anyone,
        ["GET /api/config"] = Anyone,
        ["GET /healthz"] = Anyone,
        ["GET /readyz"] = Anyone,
        ["GET /volunteer"] = VolunteerOnly,
        ["GET /operator"] = Hotline,
        ["GET /coordinator"] = Coordination,
        ["GET /certificate"] = ["volunteer", "coordinator", "admin"],
        ["ANY /metrics"] = AdminOnly,
        ["GET /openapi/{documentName}.json"] = AdminOnly,

        // Login
        ["POST /api/auth/login"] = Anyone,
        ["POST /api/auth/logout"] = Anyone,
        ["POST /api/auth/logout-everywhere"] = LoggedIn,
        ["POST /api/auth/password"] = LoggedIn,
        ["GET /api/me"] = LoggedIn,

        // Accounts
        ["GET /api/accounts/"] = AdminOnly,
        ["POST /api/accounts/"] = AdminOnly,
        ["GET /api/accounts/{login}"] = AdminOnly,
        ["POST /api/accounts/{login}/disable"] = AdminOnly,
        ["POST /api/accounts/{login}/enable"] = AdminOnly,
        ["POST /api/accounts/{login}/password"] = AdminOnly,
        ["POST /api/accounts/{login}/logout-everywhere"] = AdminOnly,
        ["GET /api/audit"] = AdminOnly,

        // Family files
        ["GET /api/workers/"] = Hotline,
        ["POST /api/workers/"] = Hotline,
        ["GET /api/workers/{id:guid}"] = Hotline,
        ["POST /api/workers/lookup"] = Hotline,
        ["POST /api/workers/search"] = Hotline,
        ["PUT /api/workers/{id:guid}"] = Hotline,
        ["GET /api/workers/{id:guid}/care-plans/"] = Hotline,
        ["POST /api/workers/{id:guid}/care-plans/"] = Hotline,
        ["GET /api/workers/{id:guid}/care-plans/{planId:guid}"] = Hotline,
        ["PUT /api/workers/{id:guid}/care-plans/{planId:guid}"] = Hotline,
        ["DELETE /api/workers/{id:guid}/care-plans/{planId:guid}"] = Hotline,
        ["GET /api/care-plans/upcoming"] = Coordination,

        // Stations
        ["GET /api/stations/"] = LoggedIn,
        ["GET /api/stations/{id:guid}"] = LoggedIn,
        ["POST /api/stations/"] = Coordination,
        ["PUT /api/stations/{id:guid}"] = Coordination,

        // Volunteers
        ["GET /api/volunteers/"] = Coordination,
        ["GET /api/volunteers/{id:guid}"] = Coordination,
        ["GET /api/volunteers/picker"] = Hotline,
        ["POST /api/volunteers/"] = Coordination,
        ["PUT /api/volunteers/{id:guid}"] = Coordination,
        ["POST /api/volunteers/import"] = Coordination,
        ["GET /api/volunteers/me/"] = VolunteerOnly,
        ["POST /api/volunteers/me/duty"] = VolunteerOnly,
        ["POST /api/volunteers/me/position"] = VolunteerOnly,
        ["GET /api/volunteers/me/offers"] = VolunteerOnly,
        ["GET /api/volunteers/me/assignments"] = VolunteerOnly,
        ["PUT /api/volunteers/me/sms-offers"] = VolunteerOnly,
        ["GET /api/push/vapid-public-key"] = VolunteerOnly,
        ["POST /api/volunteers/me/push-subscriptions"] = VolunteerOnly,
        ["DELETE /api/volunteers/me/push-subscriptions"] = VolunteerOnly,
        ["POST /api/volunteers/me/offers/{requestId:guid}/seen"] = VolunteerOnly,

        // Service hours: a volunteer's own; coordinators all, their correction and export
        ["GET /api/volunteers/me/service-records"] = VolunteerOnly,
        ["GET /api/volunteers/me/paired-families"] = VolunteerOnly,
        ["GET /api/service-records/"] = Coordination,
        ["GET /api/service-records/export"] = Coordination,
        ["PUT /api/service-records/{id:guid}"] = Coordination,

        // Requests
        ["POST /api/requests/"] = Hotline,
        ["GET /api/requests"] = Hotline,
        ["GET /api/requests/{id:guid}"] = LoggedIn,
        ["POST /api/requests/{id:guid}/claim"] = VolunteerOnly,
        ["POST /api/requests/{id:guid}/status"] = VolunteerOnly,
        ["POST /api/requests/{id:guid}/release"] = VolunteerOnly,
        ["POST /api/requests/{id:guid}/assign"] = Coordination,
        ["POST /api/requests/{id:guid}/reoffer"] = Coordination,
        ["POST /api/requests/{id:guid}/cancel"] = Hotline,
        ["POST /api/requests/{id:guid}/followup"] = Hotline,
        ["POST /api/requests/{id:guid}/notes"] = Hotline,
        ["GET /api/requests/{id:guid}/timeline"] = Hotline,
        ["GET /api/requests/{id:guid}/candidates"] = Coordination,
        ["GET /api/requests/{id:guid}/deliveries"] = Coordination,
        ["GET /api/stats/dispatch"] = Coordination,
        ["GET /api/map/snapshot"] = Coordination,
        ["GET /api/map/view"] = Coordination,

        // The family's status link and the SMS provider's callback: no login (a token in the path / the query)
        ["GET /s/{token}"] = Anyone,
        ["GET /api/status/{token}"] = Anyone,
        ["POST /api/sms/inbound/{provider}"] = Anyone,

        // Live hub
        ["ANY /hubs/live/negotiate"] = LoggedIn,
        ["ANY /hubs/live"] = LoggedIn,
    };

    [Fact]
    public void EveryRoute_HasAnExpectation_AndEveryExpectationARoute()
    {
        var routes = Routes().Select(r => r.Key).ToHashSet();

        var unnamed = routes.Except(Expected.Keys).Order().ToList();
        var stale = Expected.Keys.Except(routes).Order().ToList();

        Assert.True(unnamed.Count + stale.Count == 0,
            "Routes without an expectation (add them to Expected):\n" + string.Join('\n', unnamed)
            + "\nExpectations for routes that no longer exist:\n" + string.Join('\n', stale));
    }

    [Fact]
    public async Task EveryRoute_ForEveryRole_IsAllowedOrRefusedAsExpected()
    {
        using var client = fixture.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var wrong = new List<string>();
        // Ending sessions last: whatever it does to a session must not change the answers to the other routes; logging
        // out (which ends the session on the server, and is for anyone) after logging out everywhere (for the logged in).
        foreach (var (key, pattern, method) in Routes().OrderBy(r => r.Key.Contains("/logout", StringComparison.Ordinal))
            .ThenBy(r => r.Key.EndsWith("/api/auth/logout", StringComparison.Ordinal)).ThenBy(r => r.Key))
        {
            if (!Expected.TryGetValue(key, out var allowed))
                continue; // the other test names it
            foreach (var role in Roles)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), Path(pattern));
                if (fixture.Cookies[role] is { } cookie)
                    request.Headers.Add("Cookie", cookie);
                if (method is "POST" or "PUT" && !key.StartsWith("ANY ", StringComparison.Ordinal))
                    request.Content = key == "POST /api/volunteers/import"
                        ? new StringContent("name\n", Encoding.UTF8, "text/csv")
                        : new StringContent("{}", Encoding.UTF8, "application/json");
                using var response = await client.SendAsync(request);
                var refused = Refused(response);
                var shouldBeRefused = !allowed.Contains(role);
                if (refused != shouldBeRefused)
                    wrong.Add($"{key} as {role}: {(int)response.StatusCode} {response.Headers.Location} — expected {(shouldBeRefused ? "refused" : "allowed")}");
            }
        }
        Assert.True(wrong.Count == 0, "Authorization differs from the table:\n" + string.Join('\n', wrong));
    }

    private static bool Refused(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
        || (response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found
            && response.Headers.Location?.ToString().Contains("/login?ReturnUrl=", StringComparison.OrdinalIgnoreCase) == true);

    private IEnumerable<(string Key, RoutePattern Pattern, string Method)> Routes() =>
        fixture.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            // A route without method metadata (the hub's) answers every method: "ANY", called with POST.
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
                .Select(m => ($"{m} {Normalise(e.RoutePattern.RawText)}", e.RoutePattern, m == "ANY" ? "POST" : m)))
            .DistinctBy(r => r.Item1);

    private static string Normalise(string? raw) => "/" + (raw ?? "").TrimStart('/');

    /// <summary>A concrete path for a pattern: a fresh GUID for <c>{id:guid}</c>, a login nobody has, the document v1.</summary>
    private static string Path(RoutePattern pattern)
    {
        var path = Normalise(pattern.RawText);
        foreach (var parameter in pattern.Parameters)
        {
            var value = parameter.Name switch
            {
                "documentName" => "v1",
                "login" => "nobody-" + Guid.NewGuid().ToString("N")[..8],
                _ => parameter.ParameterPolicies.Any(p => p.Content == "guid") ? Guid.NewGuid().ToString() : "x",
            };
            var token = path[path.IndexOf("{" + parameter.Name, StringComparison.Ordinal)..];
            token = token[..(token.IndexOf('}') + 1)];
            path = path.Replace(token, value, StringComparison.Ordinal);
        }
        return path;
    }
}
