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

    private HubConnection Connect(CookieContainer cookies) => new HubConnectionBuilder()
        .WithUrl(new Uri(fixture.Web.Url, "/hubs/live"), o => o.Cookies = cookies)
        .Build();
}
