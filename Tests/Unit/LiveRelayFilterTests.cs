using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging.Abstractions;
using Outreach.Contracts;
using Outreach.Dispatch;
using Outreach.Live;
using Outreach.Model;
using Outreach.Tests.Infrastructure;
using Outreach.Web.Live;

namespace Outreach.Tests.Unit;

/// <summary>
/// A web node hears every offer of the cluster (fifty per request) but has only some of the volunteers connected: the
/// relay builds and sends events for those connected here and nobody else (the city's phones are on one node of two).
/// </summary>
[Category(TestCategory.Unit)]
public sealed class LiveRelayFilterTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task OffersWithdrawalsAndRequestChanges_GoOnlyToVolunteersConnectedHere()
    {
        var here = new VolunteerConnections();
        var (relay, sent) = Relay(here);
        Guid twice = Guid.NewGuid(), elsewhere = Guid.NewGuid(), left = Guid.NewGuid();
        here.Opened(twice);
        here.Opened(twice);
        here.Closed(twice); // one of their two connections closed: still here
        here.Opened(left);
        here.Closed(left);
        var request = Guid.NewGuid();

        await relay.OnBatchAsync(new LiveBatch(
            OfferRound.Of([.. new[] { twice, elsewhere, left }.Select(v => new OfferNotice(v, Offer(request)))]),
            [new OfferWithdrawal([twice, elsewhere, left, twice], request, "claimed")],
            [new RequestChange(Live.LiveRelayTests.Request(request), [], [twice, elsewhere, left])],
            []));

        Assert.Equal(
        [
            ($"volunteer:{twice}", LiveEvents.Offer),
            ($"volunteer:{twice}", LiveEvents.OfferWithdrawn),
            ($"volunteer:{twice}", LiveEvents.RequestUpdated),
        ], sent);
        Assert.Equal(1, here.Count);
        await relay.SendGatheredAsync();
        Assert.Equal(("connection:desk", LiveEvents.RequestsUpdated), sent[^1]);
    }

    [Fact]
    public async Task RequestChanges_ReachTheCoordinatorsGathered_EachRequestsNewestOnce_TheOperatorAtOnce()
    {
        var hub = new RecordingHub();
        var relay = Relay(new VolunteerConnections(), hub);
        Guid first = Guid.NewGuid(), second = Guid.NewGuid(), operatorId = Guid.NewGuid();
        HelpRequestView Version(Guid id, int version) => Live.LiveRelayTests.Request(id) with { Version = version };

        // Three changes of one request, the last to arrive older than the one before it, and one of another request.
        foreach (var view in new[] { Version(first, 1), Version(first, 3), Version(first, 2), Version(second, 1) })
            await relay.OnBatchAsync(new LiveBatch([], [], [new RequestChange(view, [operatorId], [])], []));

        Assert.Equal(Enumerable.Repeat(($"account:{operatorId}", LiveEvents.RequestUpdated), 4), hub.Sent);
        await relay.SendGatheredAsync();
        Assert.Equal(("connection:desk", LiveEvents.RequestsUpdated), hub.Sent[^1]);
        var gathered = Assert.IsType<RequestsUpdatedEvent>(hub.Payloads[^1]);
        Assert.Equal([(first, 3), (second, 1)], gathered.Requests.Select(r => (r.Id, r.Version)));
        Assert.True(gathered.Seq > Assert.IsType<RequestUpdatedEvent>(hub.Payloads[^2]).Seq);

        // Nothing new since: nothing sent; a later change goes in the next one.
        await relay.SendGatheredAsync();
        Assert.Equal(5, hub.Sent.Count);
        await relay.OnBatchAsync(new LiveBatch([], [], [new RequestChange(Version(second, 2), [], [])], []));
        Assert.Equal(5, hub.Sent.Count);
        await relay.SendGatheredAsync();
        Assert.Equal([(second, 2)], Assert.IsType<RequestsUpdatedEvent>(hub.Payloads[^1]).Requests.Select(r => (r.Id, r.Version)));
    }

    [Fact]
    public async Task NobodyConnectedHere_NothingIsBuiltForVolunteers()
    {
        var (relay, sent) = Relay(new VolunteerConnections());
        var request = Guid.NewGuid();
        Guid[] round = [.. Enumerable.Range(0, 50).Select(_ => Guid.NewGuid())];

        await relay.OnBatchAsync(new LiveBatch(
            OfferRound.Of([.. round.Select(v => new OfferNotice(v, Offer(request)))]),
            [new OfferWithdrawal(round, request, "claimed")],
            [],
            []));

        Assert.Empty(sent);
    }

    [Fact]
    public async Task AVolunteerConnectedHere_HearsTheirOwnEtaAndDistance_NotTheRounds()
    {
        var here = new VolunteerConnections();
        var hub = new RecordingHub();
        var relay = Relay(here, hub);
        Guid first = Guid.NewGuid(), second = Guid.NewGuid(), mine = Guid.NewGuid();
        here.Opened(mine);
        var request = Guid.NewGuid();

        await relay.OnBatchAsync(LiveBatch.Of(OfferRound.Of(
        [
            new OfferNotice(first, Offer(request)),
            new OfferNotice(second, Offer(request) with { EtaMinutes = 11, DistanceM = 2_400 }),
            new OfferNotice(mine, Offer(request) with { EtaMinutes = 13, DistanceM = 3_100 }),
        ])));

        var offer = Assert.IsType<OfferEvent>(Assert.Single(hub.Payloads));
        Assert.Equal((request, 13.0, 3_100.0), (offer.RequestId, offer.EtaMinutes, offer.DistanceM));
        Assert.Equal([($"volunteer:{mine}", LiveEvents.Offer)], hub.Sent);
    }

    [Fact]
    public async Task ADeskOrAPhoneThatCannotTakeItsEvents_IsClosed_AndTheEventsBehindItStillGo()
    {
        // The slow desk's and the slow phone's writes never finish (a reader on a link slower than its events).
        var here = new VolunteerConnections();
        Guid slowPhone = Guid.NewGuid(), phone = Guid.NewGuid(), request = Guid.NewGuid();
        var hub = new RecordingHub { Stalled = { "connection:slow-desk", LiveGroups.Volunteer(slowPhone) } };
        var connections = new LiveConnections();
        var (desk, slowDesk, slowPhoneConnection, phoneConnection) =
            (new Caller("desk"), new Caller("slow-desk"), new Caller("slow-phone"), new Caller("phone"));
        connections.Joined(desk, [LiveGroups.Coordinators]);
        connections.Joined(slowDesk, [LiveGroups.Coordinators]);
        connections.Joined(slowPhoneConnection, [LiveGroups.Volunteer(slowPhone)]);
        connections.Joined(phoneConnection, [LiveGroups.Volunteer(phone)]);
        here.Opened(slowPhone);
        here.Opened(phone);
        var relay = new LiveRelay(null!, hub, new ClusterConnectionSignal(), null!, new MapWatchers(), here, connections,
            NullLogger<LiveRelay>.Instance) { SendDeadline = TimeSpan.FromMilliseconds(200) };

        // The desks' gathered changes: the other desk has them, the slow one is closed, the call returns.
        await relay.OnBatchAsync(new LiveBatch([], [], [new RequestChange(Live.LiveRelayTests.Request(request), [], [])], []));
        await relay.SendGatheredAsync();
        Assert.Contains(("connection:desk", LiveEvents.RequestsUpdated), hub.Sent);
        Assert.Equal((false, true), (desk.Aborted, slowDesk.Aborted));

        // A withdrawal to both phones, in one send: it cannot be written to the slow one, so each is sent it again on its
        // own — the other phone has it, the slow phone's connection is closed.
        await relay.OnBatchAsync(LiveBatch.Of(new OfferWithdrawal([slowPhone, phone], request, "taken")));
        Assert.Equal(($"volunteer:{phone}", LiveEvents.OfferWithdrawn), hub.Sent[^1]);
        Assert.Equal((true, false), (slowPhoneConnection.Aborted, phoneConnection.Aborted));

        // The next offer round still reaches the phone; nobody else was closed.
        var next = Guid.NewGuid();
        await relay.OnBatchAsync(LiveBatch.Of(OfferRound.Of([new OfferNotice(slowPhone, Offer(next)), new OfferNotice(phone, Offer(next))])));
        Assert.Equal(($"volunteer:{phone}", LiveEvents.Offer), hub.Sent[^1]);
        Assert.Equal(next, Assert.IsType<OfferEvent>(hub.Payloads[^1]).RequestId);
        Assert.Equal((false, false), (desk.Aborted, phoneConnection.Aborted));
    }

    private static (LiveRelay Relay, List<(string Target, string Event)> Sent) Relay(VolunteerConnections here)
    {
        var hub = new RecordingHub();
        return (Relay(here, hub), hub.Sent);
    }

    // The grain factory and the session revocations are not used while relaying a batch. One desk is connected here.
    private static LiveRelay Relay(VolunteerConnections here, RecordingHub hub)
    {
        var connections = new LiveConnections();
        connections.Joined(new Caller("desk"), [LiveGroups.Coordinators]);
        return new(null!, hub, new ClusterConnectionSignal(), null!, new MapWatchers(), here, connections, NullLogger<LiveRelay>.Instance);
    }

    /// <summary>A hub connection as the relay sees it: its id, and whether it was closed.</summary>
    private sealed class Caller(string connectionId) : HubCallerContext
    {
        public bool Aborted { get; private set; }

        public override string ConnectionId => connectionId;

        public override string? UserIdentifier => null;

        public override System.Security.Claims.ClaimsPrincipal? User => null;

        public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();

        public override Microsoft.AspNetCore.Http.Features.IFeatureCollection Features => throw new NotSupportedException();

        public override CancellationToken ConnectionAborted => CancellationToken.None;

        public override void Abort() => Aborted = true;
    }

    private static OfferView Offer(Guid request) =>
        new(request, HelpCategory.Medicine, Urgency.Urgent, 8, 1200, new GeoPoint(31.23, 121.47), At, RequestStatus.Offered);

    /// <summary>Records each send as (group or groups, event), and what each carried.</summary>
    private sealed class RecordingHub : IHubContext<LiveHub>
    {
        public List<(string Target, string Event)> Sent { get; } = [];

        public List<object?> Payloads { get; } = [];

        /// <summary>Targets whose writes never finish until the sender gives up (its token is cancelled); a send to several groups stalls if one of them does.</summary>
        public HashSet<string> Stalled { get; } = new(StringComparer.Ordinal);

        public IHubClients Clients => new RecordingClients(Sent, Payloads, Stalled);

        public IGroupManager Groups => throw new NotSupportedException();
    }

    private sealed class RecordingClients(List<(string Target, string Event)> sent, List<object?> payloads, HashSet<string> stalled) : IHubClients
    {
        public IClientProxy All => throw new NotSupportedException();

        public IClientProxy AllExcept(IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

        public IClientProxy Client(string connectionId) => new Proxy(sent, payloads, stalled, $"connection:{connectionId}");

        public IClientProxy Clients(IReadOnlyList<string> connectionIds) => throw new NotSupportedException();

        public IClientProxy Group(string groupName) => new Proxy(sent, payloads, stalled, groupName);

        public IClientProxy GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

        public IClientProxy Groups(IReadOnlyList<string> groupNames) => new Proxy(sent, payloads, stalled, string.Join(",", groupNames));

        public IClientProxy User(string userId) => throw new NotSupportedException();

        public IClientProxy Users(IReadOnlyList<string> userIds) => throw new NotSupportedException();
    }

    private sealed class Proxy(List<(string Target, string Event)> sent, List<object?> payloads, HashSet<string> stalled, string target) : IClientProxy
    {
        public Task SendCoreAsync(string method, object?[] args, CancellationToken cancellationToken = default)
        {
            if (target.Split(',').Any(stalled.Contains))
                return Task.Delay(Timeout.Infinite, cancellationToken);
            lock (sent)
            {
                sent.Add((target, method));
                payloads.Add(args.FirstOrDefault());
            }
            return Task.CompletedTask;
        }
    }
}
