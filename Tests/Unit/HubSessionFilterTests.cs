using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Outreach.Accounts;
using Outreach.Tests.Infrastructure;
using Outreach.Web.Auth;

namespace Outreach.Tests.Unit;

/// <summary>
/// A hub connection is filed for revocation only once the server runs its filter, which can be after the client heard
/// "connected": a revocation applied in that window must still close it (the filter checks the session again).
/// </summary>
[Category(TestCategory.Unit)]
public sealed class HubSessionFilterTests
{
    private static readonly Guid AccountId = Guid.NewGuid();

    [Fact]
    public async Task RevokedBeforeTheFilterRan_TheConnectionIsAborted_NotFiled_NotPassedOn()
    {
        var (filter, sessions, status) = Make();
        status.Apply(new SessionRevocation(AccountKeys.For("li"), AccountId, "stamp-2", Disabled: false));
        var connection = new FakeCaller(Session("stamp-1"));
        var passedOn = false;

        await filter.OnConnectedAsync(Context(connection), _ => { passedOn = true; return Task.CompletedTask; });

        Assert.True(connection.Aborted);
        Assert.False(passedOn);
        Assert.Equal(0, sessions.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Disconnect_IsPassedOnToTheHub_OnlyForAConnectionItLetIn(bool current)
    {
        // SignalR calls OnDisconnectedAsync even for a connection the filter aborted before the hub's OnConnectedAsync;
        // passed on, the hub would count down a volunteer's connection it never counted (and the relay skip them).
        var (filter, _, status) = Make();
        status.Apply(new SessionRevocation(AccountKeys.For("li"), AccountId, current ? "stamp-1" : "stamp-2", Disabled: false));
        var context = Context(new FakeCaller(Session("stamp-1")));
        var connected = 0;
        var disconnected = 0;

        await filter.OnConnectedAsync(context, _ => { connected++; return Task.CompletedTask; });
        await filter.OnDisconnectedAsync(context, null, (_, _) => { disconnected++; return Task.CompletedTask; });

        Assert.Equal(current ? 1 : 0, connected);
        Assert.Equal(connected, disconnected);
    }

    [Fact]
    public async Task CurrentSession_IsFiled_AndARevocationAfterwardsClosesIt()
    {
        var (filter, sessions, status) = Make();
        status.Apply(new SessionRevocation(AccountKeys.For("li"), AccountId, "stamp-1", Disabled: false));
        var connection = new FakeCaller(Session("stamp-1"));
        var passedOn = false;

        await filter.OnConnectedAsync(Context(connection), _ => { passedOn = true; return Task.CompletedTask; });
        Assert.True(passedOn);
        Assert.False(connection.Aborted);
        Assert.Equal(1, sessions.Count);

        Assert.Equal(1, sessions.EndSessions(new SessionRevocation(AccountKeys.For("li"), AccountId, "stamp-1", Disabled: true)));
        Assert.True(connection.Aborted);
    }

    [Fact]
    public async Task HubFailsToConnect_TheSessionIsNotLeftFiled()
    {
        // SignalR does not call OnDisconnectedAsync after an OnConnectedAsync that threw: the filter forgets it itself.
        var (filter, sessions, status) = Make();
        status.Apply(new SessionRevocation(AccountKeys.For("li"), AccountId, "stamp-1", Disabled: false));

        await Assert.ThrowsAsync<InvalidOperationException>(() => filter.OnConnectedAsync(
            Context(new FakeCaller(Session("stamp-1"))), _ => throw new InvalidOperationException("groups unavailable")));

        Assert.Equal(0, sessions.Count);
    }

    private static (SessionHubFilter Filter, HubSessions Sessions, AccountStatus Status) Make()
    {
        // The node is subscribed to revocations (no grain is asked: what it was told decides).
        var status = new AccountStatus(null!, Options.Create(new SessionOptions()), NullLogger<AccountStatus>.Instance);
        status.FeedUp(mayHaveMissed: false);
        var sessions = new HubSessions();
        return (new SessionHubFilter(sessions, status), sessions, status);
    }

    private static ClaimsPrincipal Session(string stamp) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, AccountId.ToString()),
        new Claim(OutreachClaims.Login, "li"),
        new Claim(OutreachClaims.Stamp, stamp),
        new Claim(OutreachClaims.IssuedAt, DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
    ], "test"));

    private static HubLifetimeContext Context(HubCallerContext caller) => new(caller, new EmptyServices(), new EmptyHub());

    private sealed class FakeCaller(ClaimsPrincipal user) : HubCallerContext
    {
        public bool Aborted { get; private set; }
        public override string ConnectionId { get; } = Guid.NewGuid().ToString("N");
        public override string? UserIdentifier => null;
        public override ClaimsPrincipal? User => user;
        public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();
        public override IFeatureCollection Features { get; } = new FeatureCollection();
        public override CancellationToken ConnectionAborted => CancellationToken.None;
        public override void Abort() => Aborted = true;
    }

    private sealed class EmptyHub : Hub;

    private sealed class EmptyServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
