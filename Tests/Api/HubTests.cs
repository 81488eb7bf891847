using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Api;

[Collection(SystemCollection.Name)]
[Category(TestCategory.System)]
public sealed class HubTests(SystemFixture fixture)
{
    [Fact]
    public async Task Hub_WithLoginCookie_Connects()
    {
        using var user = await TestUsers.CreateAsync(fixture.Web, "coordinator");
        await using var connection = Connect(user.Client.Cookies);

        await connection.StartAsync();

        Assert.Equal(HubConnectionState.Connected, connection.State);
    }

    [Fact]
    public async Task Hub_Anonymous_IsRefusedWith401()
    {
        await using var connection = Connect(new CookieContainer());

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task LongPolling_WithAnotherAccountsConnectionToken_Is403_TheOwnerGoesOn()
    {
        using var owner = await TestUsers.CreateAsync(fixture.Web, "coordinator");
        using var other = await TestUsers.CreateAsync(fixture.Web, "volunteer");
        using var negotiated = await owner.Client.Http.PostAsync("/hubs/live/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.OK, negotiated.StatusCode);
        var token = System.Text.Json.Nodes.JsonNode.Parse(await negotiated.Content.ReadAsStringAsync())!["connectionToken"]!.GetValue<string>();
        var connection = "/hubs/live?id=" + Uri.EscapeDataString(token);
        using var started = await owner.Client.Http.GetAsync(connection); // a long poll's first request only starts it
        using var handshake = await owner.Client.Http.PostAsync(connection, new StringContent("{\"protocol\":\"json\",\"version\":1}\u001e"));
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        Assert.Equal(HttpStatusCode.OK, handshake.StatusCode);

        // Another signed-in account holding the token (from a proxy's log, say) polls the coordinator's connection, and sends on it.
        using var stolenPoll = await other.Client.Http.GetAsync(connection);
        using var stolenSend = await other.Client.Http.PostAsync(connection,
            new StringContent("{\"type\":1,\"target\":\"Resync\",\"arguments\":[],\"invocationId\":\"1\"}\u001e"));
        using var ownPoll = await owner.Client.Http.GetAsync(connection);
        var answered = await ownPoll.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, stolenPoll.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, stolenSend.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ownPoll.StatusCode);
        Assert.StartsWith("{}", answered, StringComparison.Ordinal); // the handshake's answer went to its owner
    }

    private HubConnection Connect(CookieContainer cookies) => new HubConnectionBuilder()
        .WithUrl(new Uri(fixture.Web.Url, "/hubs/live"), o => o.Cookies = cookies)
        .Build();
}
