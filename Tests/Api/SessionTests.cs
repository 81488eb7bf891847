using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Outreach.Contracts;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Api;

/// <summary>Security stamps, revocation on every node, hub connections closed, the absolute session lifetime.</summary>
[Collection(SystemCollection.Name)]
[Category(TestCategory.System)]
public sealed class SessionTests(SystemFixture fixture)
{
    private static readonly TimeSpan HubCloseTimeout = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData("password")]
    [InlineData("disable")]
    [InlineData("logout-everywhere-by-admin")]
    [InlineData("logout-everywhere-self")]
    public async Task Revocation_EndsTheSessionOnEveryNodeAtTheNextRequest_EvenWhereItWasJustChecked(string how)
    {
        var nodeB = await ExtraNodes.SecondAsync(fixture.System);
        using var user = await TestUsers.CreateAsync(fixture.Web, "operator");
        using var admin = await fixture.Web.AdminAsync();
        using var onB = nodeB.As(user.Client);
        using var onA = fixture.Web.As(user.Client);
        var (beforeA, _) = await onA.GetAsync("/api/me");
        var (beforeB, _) = await onB.GetAsync("/api/me");

        var (revoke, _) = how switch
        {
            "password" => await admin.PostAsync($"/api/accounts/{user.Login}/password", new SetPasswordRequest("a-brand-new-secret-7")),
            "disable" => await admin.PostAsync($"/api/accounts/{user.Login}/disable", null),
            "logout-everywhere-by-admin" => await admin.PostAsync($"/api/accounts/{user.Login}/logout-everywhere", null),
            _ => await user.Client.PostAsync("/api/auth/logout-everywhere", null),
        };
        var (afterB, _) = await onB.GetAsync("/api/me");
        var (afterA, _) = await onA.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.OK, beforeA);
        Assert.Equal(HttpStatusCode.OK, beforeB);
        Assert.True(revoke is HttpStatusCode.OK or HttpStatusCode.NoContent, $"revoking by {how}: {(int)revoke}");
        Assert.Equal(HttpStatusCode.Unauthorized, afterB);
        Assert.Equal(HttpStatusCode.Unauthorized, afterA);
    }

    [Fact]
    public async Task Revocation_ClosesTheAccountsHubConnectionsOnEveryNode_OthersStayOpen()
    {
        var nodeB = await ExtraNodes.SecondAsync(fixture.System);
        using var user = await TestUsers.CreateAsync(fixture.Web, "volunteer");
        using var bystander = await TestUsers.CreateAsync(fixture.Web, "volunteer");
        using var admin = await fixture.Web.AdminAsync();
        await using var onA = Hub(fixture.Web, user.Client);
        await using var onB = Hub(nodeB, user.Client);
        await using var other = Hub(nodeB, bystander.Client);
        var closedA = Closed(onA);
        var closedB = Closed(onB);
        await Task.WhenAll(onA.StartAsync(), onB.StartAsync(), other.StartAsync());

        var (disable, _) = await admin.PostAsync($"/api/accounts/{user.Login}/disable", null);

        Assert.Equal(HttpStatusCode.OK, disable);
        await WithinAsync(closedA, "the hub connection on the node that disabled the account was not closed");
        await WithinAsync(closedB, "the hub connection on the other node was not closed");
        Assert.Equal(HubConnectionState.Connected, other.State);
    }

    [Fact]
    public async Task Logout_EndsThisSessionOnEveryNode_ACopyOfItsCookieIsRefused_TheAccountsOtherSessionsGoOn()
    {
        var nodeB = await ExtraNodes.SecondAsync(fixture.System);
        using var user = await TestUsers.CreateAsync(fixture.Web, "volunteer");
        using var otherSession = await fixture.Web.LoginAsync(user.Login, TestUsers.Password);
        using var copyOnA = fixture.Web.As(user.Client); // the cookie as someone who copied it would send it
        using var copyOnB = nodeB.As(user.Client);
        await using var hubOnB = Hub(nodeB, copyOnB);
        await using var otherHub = Hub(nodeB, otherSession);
        var closed = Closed(hubOnB);
        await Task.WhenAll(hubOnB.StartAsync(), otherHub.StartAsync());
        var (beforeB, _) = await copyOnB.GetAsync("/api/me"); // node B now holds the account's status

        var (logout, _) = await user.Client.PostAsync("/api/auth/logout", null);
        var (afterA, _) = await copyOnA.GetAsync("/api/me");
        var (afterB, _) = await copyOnB.GetAsync("/api/me");
        var (other, _) = await otherSession.GetAsync("/api/me");
        var (again, _) = await copyOnA.PostAsync("/api/auth/logout", null);

        Assert.Equal(HttpStatusCode.OK, beforeB);
        Assert.Equal(HttpStatusCode.NoContent, logout);
        Assert.Equal(HttpStatusCode.Unauthorized, afterA);
        Assert.Equal(HttpStatusCode.Unauthorized, afterB);
        Assert.Equal(HttpStatusCode.OK, other);
        Assert.Equal(HttpStatusCode.NoContent, again);
        await WithinAsync(closed, "the logged-out session's hub connection on the other node was not closed");
        Assert.Equal(HubConnectionState.Connected, otherHub.State);
    }

    [Fact]
    public async Task ChangeOwnPassword_WrongCurrentOrWeakNewIs400_ThenOtherSessionsEndAndThisOneGoesOn()
    {
        using var user = await TestUsers.CreateAsync(fixture.Web, "coordinator");
        using var elsewhere = await fixture.Web.LoginAsync(user.Login, TestUsers.Password);
        const string next = "my-own-new-secret-4";

        var (wrong, wrongBody) = await user.Client.PostAsync("/api/auth/password", new ChangePasswordRequest("not-it-at-all", next));
        var (weak, weakBody) = await user.Client.PostAsync("/api/auth/password", new ChangePasswordRequest(TestUsers.Password, "qwertyuiop"));
        var (changed, _) = await user.Client.PostAsync("/api/auth/password", new ChangePasswordRequest(TestUsers.Password, next));
        var (here, _) = await user.Client.GetAsync("/api/me");
        var (there, _) = await elsewhere.GetAsync("/api/me");
        using var fresh = await fixture.Web.LoginAsync(user.Login, next);

        Assert.Equal(HttpStatusCode.BadRequest, wrong);
        Assert.Contains("currentPassword", wrongBody!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, weak);
        Assert.Contains("newPassword: This password is too common", weakBody!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, changed);
        Assert.Equal(HttpStatusCode.OK, here);
        Assert.Equal(HttpStatusCode.Unauthorized, there);
    }

    [Fact]
    public async Task AbsoluteLifetime_EndsASessionInUse_AndItsHubConnection()
    {
        var shortLived = await ExtraNodes.GetAsync(fixture.System, "short-sessions", new Dictionary<string, string>
        {
            ["Outreach__Sessions__AbsoluteLifetime"] = "00:00:04",
        });
        using var user = await TestUsers.CreateAsync(fixture.Web, "operator");
        using var client = await shortLived.LoginAsync(user.Login, TestUsers.Password);
        var loggedIn = DateTime.UtcNow;
        await using var hub = Hub(shortLived, client);
        var closed = Closed(hub);
        await hub.StartAsync();
        var (first, _) = await client.GetAsync("/api/me");

        var status = first;
        var deadline = loggedIn + TimeSpan.FromSeconds(30);
        while (status == HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            (status, _) = await client.GetAsync("/api/me");
        }
        var lasted = DateTime.UtcNow - loggedIn;

        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.InRange(lasted.TotalSeconds, 3, 30);
        await WithinAsync(closed, "the hub connection outlived the session's absolute lifetime");
    }

    private static HubConnection Hub(WebNode node, ApiClient user) => new HubConnectionBuilder()
        .WithUrl(new Uri(node.Url, "/hubs/live"), o => o.Cookies = user.Cookies)
        .Build();

    private static Task Closed(HubConnection connection)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        return closed.Task;
    }

    private static async Task WithinAsync(Task closed, string what)
    {
        if (await Task.WhenAny(closed, Task.Delay(HubCloseTimeout)) != closed)
            Assert.Fail($"{what} within {HubCloseTimeout.TotalSeconds} s");
    }
}
