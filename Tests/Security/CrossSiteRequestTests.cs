using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Outreach.Contracts;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Security;

/// <summary>
/// CSRF: a state-changing request or a hub handshake that says it comes from another site (Origin, or Referer when
/// there is no Origin) is refused with 403; one from this site, or one naming no origin (scripts, the bench), passes.
/// JSON routes take JSON bodies only (415 for forms and text/plain, the bodies a cross-site page can send unasked).
/// </summary>
[Collection(SystemCollection.Name)]
[Category(TestCategory.System)]
public sealed class CrossSiteRequestTests(SystemFixture fixture)
{
    private WebNode Web => fixture.Web;

    private string OwnOrigin => Web.Url.GetLeftPart(UriPartial.Authority);

    public static TheoryData<string, string> ForeignSenders() => new()
    {
        { "Origin", "http://evil.example" },
        { "Origin", "null" },
        { "Origin", "https://127.0.0.1" }, // same host, other scheme and port
        { "Referer", "http://evil.example/page.html" },
        { "Referer", "not a url" },
    };

    [Theory]
    [MemberData(nameof(ForeignSenders))]
    public async Task Login_FromAnotherSite_Is403(string header, string value)
    {
        using var client = Web.Anonymous();
        using var request = LoginRequest();
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Cross-site", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie");
    }

    [Theory]
    [InlineData("Origin", true)]
    [InlineData("Referer", true)]
    [InlineData(null, false)]
    public async Task Login_FromThisSite_OrNamingNoOrigin_Works(string? header, bool withPath)
    {
        using var client = Web.Anonymous();
        using var request = LoginRequest();
        if (header is not null)
            request.Headers.TryAddWithoutValidation(header, withPath && header == "Referer" ? OwnOrigin + "/login?returnUrl=%2F" : OwnOrigin);

        using var response = await client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    public async Task LoggedInChange_FromAnotherSite_Is403_AndNothingIsSaved(string method)
    {
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        var name = "跨站驿站" + Guid.NewGuid().ToString("N")[..6];
        var (created, station) = await coordinator.Client.PostAsync("/api/stations", StationBody("原名"));
        Assert.Equal(HttpStatusCode.Created, created);
        var id = station!["id"]!.GetValue<Guid>();
        using var request = new HttpRequestMessage(new HttpMethod(method), method == "POST" ? "/api/stations" : $"/api/stations/{id}")
        {
            Content = JsonContent.Create(StationBody(name)),
        };
        request.Headers.TryAddWithoutValidation("Origin", "http://evil.example");

        using var response = await coordinator.Client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var (_, list) = await coordinator.Client.GetAsync("/api/stations");
        Assert.DoesNotContain(list!.AsArray(), s => s!["name"]!.GetValue<string>() == name);
    }

    [Fact]
    public async Task HubNegotiate_FromAnotherSite_Is403_FromThisSite_Works()
    {
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");

        using var foreign = await NegotiateAsync(coordinator.Client, "http://evil.example");
        using var own = await NegotiateAsync(coordinator.Client, OwnOrigin);

        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task HubWebSocket_FromAnotherSite_Is403_FromThisSite_Opens()
    {
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");

        var foreign = await OpenWebSocketAsync(coordinator, "http://evil.example");
        var own = await OpenWebSocketAsync(coordinator, OwnOrigin);

        Assert.Equal(HttpStatusCode.Forbidden, foreign);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, own);
    }

    [Theory]
    [InlineData("text/plain", "{\"login\":\"x\",\"password\":\"y\"}")]
    [InlineData("application/x-www-form-urlencoded", "login=x&password=y")]
    [InlineData("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"login\"\r\n\r\nx\r\n--b--")]
    public async Task JsonRoute_WithAFormOrTextBody_Is415(string contentType, string body)
    {
        using var volunteer = await TestUsers.CreateAsync(Web, "volunteer");
        using var anonymous = Web.Anonymous();

        var login = await PostRawAsync(anonymous, "/api/auth/login", contentType, body);
        var logout = await PostRawAsync(anonymous, "/api/auth/logout", contentType, body);
        var duty = await PostRawAsync(volunteer.Client, "/api/volunteers/me/duty", contentType, body);
        var claim = await PostRawAsync(volunteer.Client, $"/api/requests/{Guid.NewGuid()}/claim", contentType, body);

        Assert.All(new[] { login, logout, duty, claim }, answer => Assert.StartsWith("415", answer, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CsvImport_AsTextPlain_Is415_AsTextCsv_IsRead()
    {
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");

        var plain = await PostRawAsync(coordinator.Client, "/api/volunteers/import", "text/plain", "name\n");
        var csv = await PostRawAsync(coordinator.Client, "/api/volunteers/import", "text/csv", "name\n");

        Assert.StartsWith("415", plain, StringComparison.Ordinal);
        Assert.StartsWith("400", csv, StringComparison.Ordinal); // read, and refused for its missing columns
    }

    [Theory]
    [InlineData("application/json; charset=utf8")]
    [InlineData("application/json; charset=\"utf-8\"")]
    [InlineData("application/json; charset=latin1")]
    [InlineData("application/json; charset=utf-16")]
    public async Task JsonRoute_WithACharsetOtherThanUtf8_Is415_NotA500(string contentType)
    {
        using var anonymous = Web.Anonymous();

        var login = await PostRawAsync(anonymous, "/api/auth/login", contentType, "{\"login\":\"x\",\"password\":\"y\"}");

        Assert.StartsWith("415", login, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonRoute_WithJsonCharsetOrNoBody_Works()
    {
        using var volunteer = await TestUsers.CreateAsync(Web, "volunteer");

        var duty = await PostRawAsync(volunteer.Client, "/api/volunteers/me/duty", "application/json; charset=utf-8", "{\"onDuty\":false}");
        using var logout = await volunteer.Client.Http.PostAsync("/api/auth/logout", null);

        Assert.StartsWith("200", duty, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
    }

    private static HttpRequestMessage LoginRequest() => new(HttpMethod.Post, "/api/auth/login")
    {
        Content = JsonContent.Create(new LoginRequest(OutreachSystem.AdminLogin, OutreachSystem.AdminPassword)),
    };

    private static StationRequest StationBody(string name) =>
        new(name, "测试地址 2 号", new PositionDto(35.76, 115.02), CircleRadiusM: 500);

    /// <summary>Posts a body with exactly <paramref name="contentType"/>; answers "status body" (for the failure message).</summary>
    private static async Task<string> PostRawAsync(ApiClient client, string path, string contentType, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await client.Http.PostAsync(path, content);
        return $"{(int)response.StatusCode} {path} {await response.Content.ReadAsStringAsync()}";
    }

    private static async Task<HttpResponseMessage> NegotiateAsync(ApiClient client, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hubs/live/negotiate?negotiateVersion=1");
        request.Headers.TryAddWithoutValidation("Origin", origin);
        return await client.Http.SendAsync(request);
    }

    /// <summary>Negotiates (naming no origin), then opens the websocket with <paramref name="origin"/>; the handshake's status.</summary>
    private async Task<HttpStatusCode> OpenWebSocketAsync(TestUser user, string origin)
    {
        using var negotiate = await user.Client.Http.PostAsync("/hubs/live/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.OK, negotiate.StatusCode);
        var token = JsonNode.Parse(await negotiate.Content.ReadAsStringAsync())!["connectionToken"]!.GetValue<string>();
        using var socket = new ClientWebSocket();
        socket.Options.Cookies = user.Client.Cookies;
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", origin);
        var url = new UriBuilder(Web.Url) { Scheme = "ws", Path = "/hubs/live", Query = "id=" + Uri.EscapeDataString(token) }.Uri;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await socket.ConnectAsync(url, timeout.Token);
        }
        catch (WebSocketException)
        {
            // Refused: the status is in HttpStatusCode.
        }
        return socket.HttpStatusCode;
    }
}
