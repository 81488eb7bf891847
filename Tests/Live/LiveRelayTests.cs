using System.Net.WebSockets;
using System.Text.Json;
using Outreach.Contracts;
using Outreach.Dispatch;
using Outreach.Live;
using Outreach.Model;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Live;

/// <summary>
/// Grain events reach browsers through the live registry, the notifier and each web node's relay: real silo,
/// two web processes, real SignalR connections.
/// </summary>
[Category(TestCategory.System)]
public sealed class LiveRelayTests(LiveSystemFixture fixture) : IClassFixture<LiveSystemFixture>
{
    private static readonly DateTimeOffset CreatedAt = new(2026, 11, 3, 8, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task ANodeAnAccountGrainCouldNotReach_IsToldAtItsNextRenewal_AndReadsEveryAccountAgain()
    {
        const string Told = "missed a session revocation; every account is read again";
        var registry = fixture.Client.LiveRegistry();
        var nodeB = (await registry.GetNodesAsync()).Nodes.Single(n => n.NodeId.Contains($":{fixture.NodeB.Process.Id}:", StringComparison.Ordinal));
        fixture.NodeA.Process.Watch(Told);
        fixture.NodeB.Process.Watch(Told);

        await registry.MissedRevocationAsync([nodeB.Observer]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (fixture.NodeB.Process.Seen(Told) == 0 && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        await Task.Delay(TimeSpan.FromSeconds(2)); // two more renewals: told once, and only B

        Assert.True(fixture.NodeB.Process.Seen(Told) == 1, $"node B was told {fixture.NodeB.Process.Seen(Told)} times:\n{fixture.NodeB.Process.Tail(20)}");
        Assert.Equal(0, fixture.NodeA.Process.Seen(Told));
    }

    [Fact]
    public async Task Publish_ReachesTheAddressedConnectionsOnEitherNode_AndNobodyElse()
    {
        using var volunteer = await TestUsers.CreateAsync(fixture.NodeA, "volunteer");
        using var bystander = await TestUsers.CreateAsync(fixture.NodeA, "volunteer");
        using var coordinator = await TestUsers.CreateAsync(fixture.NodeA, "coordinator");
        using var operatorUser = await TestUsers.CreateAsync(fixture.NodeA, "operator");
        await using var volunteerOnB = await LiveListener.ConnectAsync("volunteer on B", fixture.NodeB, volunteer.Client.Cookies);
        await using var bystanderOnA = await LiveListener.ConnectAsync("bystander on A", fixture.NodeA, bystander.Client.Cookies);
        await using var coordinatorOnA = await LiveListener.ConnectAsync("coordinator on A", fixture.NodeA, coordinator.Client.Cookies);
        await using var operatorOnB = await LiveListener.ConnectAsync("operator on B", fixture.NodeB, operatorUser.Client.Cookies);
        var requestId = Guid.NewGuid();
        var volunteerId = volunteer.VolunteerId!.Value;

        await fixture.PublishAsync(new LiveBatch(
            OfferRound.Of([new OfferNotice(volunteerId, Offer(requestId))]),
            [],
            [new RequestChange(Request(requestId), [operatorUser.AccountId], [])],
            [new VolunteerChange(volunteerId, "王芳", new GeoPoint(31.2304, 121.4737), true, CreatedAt)]));

        var offer = await volunteerOnB.WaitForAsync(LiveEvents.Offer, p => Id(p, "requestId") == requestId, "the offer");
        var request = await coordinatorOnA.WaitForGatheredRequestAsync(requestId, "the request, gathered for the desks");
        var duty = await coordinatorOnA.WaitForAsync(LiveEvents.VolunteerDuty, p => Id(p, "volunteerId") == volunteerId,
            "the volunteer first seen on duty");
        await operatorOnB.WaitForAsync(LiveEvents.RequestUpdated, p => RequestId(p) == requestId, "the request of the call they took");

        Assert.Equal(
            ["seq", "requestId", "category", "urgency", "etaMinutes", "distanceM", "approxPosition", "createdAt"],
            offer.Payload.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Medicine", offer.Payload.GetProperty("category").GetString());
        Assert.Equal("Urgent", offer.Payload.GetProperty("urgency").GetString());
        // Rounded for the volunteer: whole minutes, 100 m.
        Assert.Equal(8.0, offer.Payload.GetProperty("etaMinutes").GetDouble());
        Assert.Equal(1200.0, offer.Payload.GetProperty("distanceM").GetDouble());
        Assert.Equal(31.23, offer.Payload.GetProperty("approxPosition").GetProperty("lat").GetDouble());
        Assert.Equal(121.47, offer.Payload.GetProperty("approxPosition").GetProperty("lon").GetDouble());
        Assert.Equal(CreatedAt, offer.Payload.GetProperty("createdAt").GetDateTimeOffset());

        // The operator who took the call hears of it at once; the coordinators (not among the change's accounts) gathered.
        Assert.DoesNotContain(coordinatorOnA.Received, m => m.Event == LiveEvents.RequestUpdated);
        Assert.Equal("Offered", request.GetProperty("status").GetString());
        Assert.Equal("Meals", request.GetProperty("category").GetString());
        Assert.Equal("静安区某路 12 号", request.GetProperty("address").GetString());
        Assert.Equal(31.2301, request.GetProperty("position").GetProperty("lat").GetDouble());
        Assert.Equal(3, request.GetProperty("offeredCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, request.GetProperty("followUp").ValueKind);

        Assert.Equal("王芳", duty.Payload.GetProperty("name").GetString());
        Assert.True(duty.Payload.GetProperty("onDuty").GetBoolean());
        Assert.Equal(121.4737, duty.Payload.GetProperty("position").GetProperty("lon").GetDouble());

        // The same volunteer again, still on duty: now it is a move, sent (within a second) to the maps that show it.
        await coordinatorOnA.InvokeAsync("WatchMap", 31.2, 121.4, 31.3, 121.5, "markers");
        await fixture.PublishAsync(LiveBatch.Of(new VolunteerChange(volunteerId, "王芳", new GeoPoint(31.2310, 121.4740), true, CreatedAt.AddMinutes(1))));
        var moved = await coordinatorOnA.WaitForAsync(LiveEvents.VolunteersMoved,
            p => p.GetProperty("volunteers").EnumerateArray().Any(v => Id(v, "volunteerId") == volunteerId), "the volunteer's move");
        var move = Assert.Single(moved.Payload.GetProperty("volunteers").EnumerateArray());
        Assert.Equal(31.2310, move.GetProperty("position").GetProperty("lat").GetDouble());
        Assert.Equal(moved.Payload.GetProperty("seq").GetInt64(), move.GetProperty("seq").GetInt64());

        // A fence to both volunteers: events reach one node in order, so whatever else they were to get came first.
        var fence = Guid.NewGuid();
        await fixture.PublishAsync(LiveBatch.Of(new OfferWithdrawal([volunteerId, bystander.VolunteerId!.Value], fence, "fence")));
        var withdrawn = await volunteerOnB.WaitForAsync(LiveEvents.OfferWithdrawn, p => Id(p, "requestId") == fence, "the fence");
        await bystanderOnA.WaitForAsync(LiveEvents.OfferWithdrawn, p => Id(p, "requestId") == fence, "the fence");

        Assert.Equal("fence", withdrawn.Payload.GetProperty("reason").GetString());
        Assert.True(volunteerOnB.Received.Select(m => m.Event).SequenceEqual([LiveEvents.Offer, LiveEvents.OfferWithdrawn]),
            $"the volunteer got more than its offer: {volunteerOnB.Describe()}");
        Assert.True(bystanderOnA.Received.Select(m => m.Event).SequenceEqual([LiveEvents.OfferWithdrawn]),
            $"a volunteer not addressed got events: {bystanderOnA.Describe()}");
    }

    [Fact]
    public async Task Moves_ReachOnlyTheMapsThatShowThem_EachVolunteersLatestAtMostOnceASecond()
    {
        using var coordinator = await TestUsers.CreateAsync(fixture.NodeA, "coordinator");
        await using var here = await LiveListener.ConnectAsync("map of the place", fixture.NodeA, coordinator.Client.Cookies);
        await using var elsewhere = await LiveListener.ConnectAsync("map of another city", fixture.NodeA, coordinator.Client.Cookies);
        await using var clustered = await LiveListener.ConnectAsync("clustered map of the place", fixture.NodeA, coordinator.Client.Cookies);
        await using var noMap = await LiveListener.ConnectAsync("desk without a map view", fixture.NodeA, coordinator.Client.Cookies);
        await here.InvokeAsync("WatchMap", 36.0, 114.0, 36.1, 114.1, "markers");
        await elsewhere.InvokeAsync("WatchMap", 40.0, 116.0, 40.1, 116.1, "markers");
        await clustered.InvokeAsync("WatchMap", 36.0, 114.0, 36.1, 114.1, "clusters");
        var (mover, other) = (Guid.NewGuid(), Guid.NewGuid());

        // On duty first (every coordinator hears that), then ten reports in quick succession inside the first box
        // (one-way publishes: they may arrive in any order; the newest by time is the one kept).
        await fixture.PublishAsync(LiveBatch.Of(
            new VolunteerChange(mover, "李强", new GeoPoint(36.05, 114.05), true, CreatedAt),
            new VolunteerChange(other, "赵敏", new GeoPoint(40.05, 116.05), true, CreatedAt)));
        await here.WaitForAsync(LiveEvents.VolunteerDuty, p => Id(p, "volunteerId") == mover, "the volunteer on duty");
        for (var i = 1; i <= 10; i++)
            await fixture.PublishAsync(LiveBatch.Of(new VolunteerChange(mover, "李强", new GeoPoint(36.05 + i * 0.001, 114.05), true, CreatedAt.AddSeconds(i))));
        // The other volunteer moves inside the second box only.
        await fixture.PublishAsync(LiveBatch.Of(new VolunteerChange(other, "赵敏", new GeoPoint(40.06, 116.06), true, CreatedAt.AddSeconds(11))));

        try
        {
            await here.WaitForAsync(LiveEvents.VolunteersMoved, p => Moves(p).Any(v => Id(v, "volunteerId") == mover
                && Math.Abs(v.GetProperty("position").GetProperty("lat").GetDouble() - 36.06) < 1e-9), "the last of the ten reports");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + "\nnode A:\n" + fixture.NodeA.Process.Tail(), e);
        }
        await elsewhere.WaitForAsync(LiveEvents.VolunteersMoved, p => Moves(p).Any(v => Id(v, "volunteerId") == other), "the other volunteer's move");

        // Gathered: ten reports arrive as at most a few events (one per second they spanned), each volunteer once in each.
        var heard = here.Received.Where(m => m.Event == LiveEvents.VolunteersMoved).ToList();
        Assert.InRange(heard.Count, 1, 3);
        Assert.All(heard, m => Assert.Single(Moves(m.Payload), v => Id(v, "volunteerId") == mover));
        Assert.DoesNotContain(heard.SelectMany(m => Moves(m.Payload)), v => Id(v, "volunteerId") == other);
        // A map of another place heard nothing of the first volunteer's moves.
        Assert.DoesNotContain(elsewhere.Received.Where(m => m.Event == LiveEvents.VolunteersMoved).SelectMany(m => Moves(m.Payload)),
            v => Id(v, "volunteerId") == mover);

        // A fence after the moves: a clustered map and a desk without a view got none of them.
        var fence = Guid.NewGuid();
        await fixture.PublishAsync(LiveBatch.Of(new RequestChange(Request(fence), [], [])));
        await clustered.WaitForGatheredRequestAsync(fence, "the fence");
        await noMap.WaitForGatheredRequestAsync(fence, "the fence");
        Assert.DoesNotContain(clustered.Received, m => m.Event == LiveEvents.VolunteersMoved);
        Assert.DoesNotContain(noMap.Received, m => m.Event == LiveEvents.VolunteersMoved);
    }

    [Fact]
    public async Task RequestChanges_ReachTheDesksGathered_EachRequestsNewest_NoneLeftOut()
    {
        using var coordinator = await TestUsers.CreateAsync(fixture.NodeA, "coordinator");
        await using var desk = await LiveListener.ConnectAsync("coordinator on A", fixture.NodeA, coordinator.Client.Cookies);
        Guid[] requests = [.. Enumerable.Range(0, 40).Select(_ => Guid.NewGuid())];

        // Forty requests change twice each, as fast as the cluster takes them: a busy city's second or two.
        foreach (var version in new[] { 1, 2 })
        {
            foreach (var id in requests)
                await fixture.PublishAsync(LiveBatch.Of(new RequestChange(Request(id) with { Version = version }, [], [])));
        }
        foreach (var id in requests)
            await desk.WaitForGatheredRequestAsync(id, $"request {id} at version 2", r => r.GetProperty("version").GetInt32() == 2);

        // Eighty changes came as a few messages (one a second), every request in them; none one by one.
        var gathered = desk.Received.Where(m => m.Event == LiveEvents.RequestsUpdated).ToList();
        Assert.InRange(gathered.Count, 1, 20);
        Assert.DoesNotContain(desk.Received, m => m.Event == LiveEvents.RequestUpdated);
        Assert.All(gathered, m => Assert.Equal(
            LiveListener.GatheredRequests(m.Payload).Count(), LiveListener.GatheredRequests(m.Payload).Select(r => Id(r, "id")).Distinct().Count()));
        Assert.Equal(requests.Order(), gathered.SelectMany(m => LiveListener.GatheredRequests(m.Payload)).Select(r => Id(r, "id")).Distinct().Order());
    }

    [Fact]
    public async Task WatchMap_WithABadBox_IsRefused()
    {
        using var coordinator = await TestUsers.CreateAsync(fixture.NodeA, "coordinator");
        using var volunteer = await TestUsers.CreateAsync(fixture.NodeA, "volunteer");
        await using var desk = await LiveListener.ConnectAsync("coordinator", fixture.NodeA, coordinator.Client.Cookies);
        await using var phone = await LiveListener.ConnectAsync("volunteer", fixture.NodeA, volunteer.Client.Cookies);

        await Assert.ThrowsAnyAsync<Exception>(() => desk.InvokeAsync("WatchMap", 36.1, 114.0, 36.0, 114.1, "markers"));
        await Assert.ThrowsAnyAsync<Exception>(() => desk.InvokeAsync("WatchMap", 36.0, 114.0, 36.1, 114.1, "all"));
        await Assert.ThrowsAnyAsync<Exception>(() => phone.InvokeAsync("WatchMap", 36.0, 114.0, 36.1, 114.1, "markers"));
        await desk.InvokeAsync("WatchMap", 36.0, 114.0, 36.1, 114.1, "markers");
    }

    [Fact]
    public async Task Seq_IncreasesAcrossEventsOnOneConnection()
    {
        using var coordinator = await TestUsers.CreateAsync(fixture.NodeB, "coordinator");
        await using var listener = await LiveListener.ConnectAsync("coordinator on B", fixture.NodeB, coordinator.Client.Cookies);
        var volunteers = Enumerable.Range(0, 6).Select(_ => Guid.NewGuid()).ToList();
        var requestId = Guid.NewGuid();

        // Separate publishes (possibly through different notifier activations) and one batch of several events.
        foreach (var id in volunteers.Take(3))
            await fixture.PublishAsync(LiveBatch.Of(new VolunteerChange(id, "志愿者", new GeoPoint(31.2, 121.4), true, CreatedAt)));
        await fixture.PublishAsync(new LiveBatch(
            [],
            [],
            [new RequestChange(Request(requestId), [], [])],
            [.. volunteers.Skip(3).Select(id => new VolunteerChange(id, "志愿者", null, false, CreatedAt))]));

        var received = new List<LiveMessage>();
        foreach (var id in volunteers)
            received.Add(await listener.WaitForAsync(LiveEvents.VolunteerDuty, p => Id(p, "volunteerId") == id, $"volunteer {id}"));
        received.Add(await listener.WaitForAsync(LiveEvents.RequestsUpdated,
            p => LiveListener.GatheredRequests(p).Any(r => Id(r, "id") == requestId), "the request, gathered"));

        var seqs = listener.Received.Select(m => m.Seq).ToList();
        Assert.True(seqs.Count >= 7, $"expected at least 7 events: {listener.Describe()}");
        Assert.True(seqs.Zip(seqs.Skip(1)).All(pair => pair.First < pair.Second), $"seq did not increase: {string.Join(", ", seqs)}");
        Assert.All(received, m => Assert.True(m.Seq > 0));
    }

    [Fact]
    public async Task KilledWebNode_ExpiresFromTheRegistry_AndPublishingStillReachesTheOthers()
    {
        using var coordinator = await TestUsers.CreateAsync(fixture.NodeA, "coordinator");
        await using var onA = await LiveListener.ConnectAsync("coordinator on A", fixture.NodeA, coordinator.Client.Cookies);
        var doomed = await fixture.System.StartWebAsync();
        await fixture.WaitForLiveNodesAsync(3, TimeSpan.FromSeconds(30));
        await using (var onDoomed = await LiveListener.ConnectAsync("coordinator on the doomed node", doomed, coordinator.Client.Cookies))
        {
            // Notifiers refresh their list of nodes every 2 s: publish until the new node is among them.
            var probe = Guid.NewGuid();
            var heard = onDoomed.WaitForAsync(LiveEvents.VolunteerDuty, p => Id(p, "volunteerId") == probe, "a probe", TimeSpan.FromSeconds(20));
            while (!heard.IsCompleted)
            {
                await fixture.PublishAsync(LiveBatch.Of(new VolunteerChange(probe, "探针", null, false, CreatedAt)));
                await Task.WhenAny(heard, Task.Delay(500));
            }
            await heard;
        }

        await doomed.Process.KillAsync();

        // At once: the dead node is still listed, and must not hold up the live ones.
        var first = Guid.NewGuid();
        await fixture.PublishAsync(LiveBatch.Of(new VolunteerChange(first, "志愿者", null, true, CreatedAt)));
        await onA.WaitForAsync(LiveEvents.VolunteerDuty, p => Id(p, "volunteerId") == first, "an event published right after the kill");

        // Later: the node stopped renewing, so the registry drops it (60 s after its last renewal).
        await fixture.WaitForLiveNodesAsync(2, TimeSpan.FromSeconds(100));
        var second = Guid.NewGuid();
        await fixture.PublishAsync(LiveBatch.Of(new VolunteerChange(second, "志愿者", null, true, CreatedAt)));
        await onA.WaitForAsync(LiveEvents.VolunteerDuty, p => Id(p, "volunteerId") == second, "an event published after the node expired");
    }

    [Fact]
    public async Task ADeskOnASlowLink_IsClosed_AndTheOffersOfItsNodeStillGo()
    {
        const string Closed = "could not take";
        using var coordinator = await TestUsers.CreateAsync(fixture.NodeA, "coordinator");
        using var volunteer = await TestUsers.CreateAsync(fixture.NodeA, "volunteer");
        fixture.NodeA.Process.Watch(Closed);
        var before = fixture.NodeA.Process.Seen(Closed);

        // A desk on a slow link: it reads 16 KB every 200 ms (80 KB/s, fast enough for the server's minimum data rate)
        // and pings, so nothing times it out; the desks' changes come faster than it reads.
        using var slow = new ClientWebSocket();
        slow.Options.SetRequestHeader("Cookie", coordinator.Client.Cookies.GetCookieHeader(fixture.NodeA.Url));
        slow.Options.SetRequestHeader("Origin", fixture.NodeA.Url.GetLeftPart(UriPartial.Authority));
        await slow.ConnectAsync(new Uri($"ws://{fixture.NodeA.Url.Authority}/hubs/live"), CancellationToken.None);
        await slow.SendAsync("{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        var reading = Task.Run(async () =>
        {
            var buffer = new byte[16 * 1024];
            try
            {
                while ((await slow.ReceiveAsync(buffer, CancellationToken.None)).MessageType != WebSocketMessageType.Close)
                    await Task.Delay(200);
            }
            catch (WebSocketException)
            {
                // Closed without a close frame.
            }
        });
        var pinging = Task.Run(async () =>
        {
            try
            {
                while (!reading.IsCompleted)
                {
                    await slow.SendAsync("{\"type\":6}\u001e"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
                    await Task.Delay(1000);
                }
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
            {
                // The connection was closed.
            }
        });
        await using var desk = await LiveListener.ConnectAsync("a desk that keeps up", fixture.NodeA, coordinator.Client.Cookies);
        await using var phone = await LiveListener.ConnectAsync("a phone on the same node", fixture.NodeA, volunteer.Client.Cookies);

        // Changes of hundreds of requests every 200 ms, with long descriptions, until the slow desk is closed.
        var flood = new HelpRequestView[400];
        var last = Guid.Empty;
        var flooding = System.Diagnostics.Stopwatch.StartNew();
        while (fixture.NodeA.Process.Seen(Closed) == before && flooding.Elapsed < TimeSpan.FromSeconds(60))
        {
            for (var i = 0; i < flood.Length; i++)
                flood[i] = Request(last = Guid.NewGuid()) with { Description = new string('需', 500) };
            await fixture.PublishAsync(new LiveBatch([], [], [.. flood.Select(r => new RequestChange(r, [], []))], []));
            await Task.Delay(200);
        }
        Assert.True(fixture.NodeA.Process.Seen(Closed) > before, $"the slow desk was never closed:\n{fixture.NodeA.Process.Tail(20)}");

        // The node's next offer reaches the phone (it would wait behind the slow desk's backlog, minutes of it, if the
        // desk were waited for); the desk that keeps up has the last changes; the slow one's connection ends.
        var requestId = Guid.NewGuid();
        await fixture.PublishAsync(LiveBatch.Of(OfferRound.Of([new OfferNotice(volunteer.VolunteerId!.Value, Offer(requestId))])));
        await phone.WaitForAsync(LiveEvents.Offer, p => Id(p, "requestId") == requestId, "the offer after the slow desk", TimeSpan.FromSeconds(15));
        await desk.WaitForGatheredRequestAsync(last, "the last changes, to the desk that keeps up", timeout: TimeSpan.FromSeconds(30));
        await reading.WaitAsync(TimeSpan.FromSeconds(60));
        await pinging.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotEqual(WebSocketState.Open, slow.State);
    }

    private static Guid Id(JsonElement payload, string property) => payload.GetProperty(property).GetGuid();

    private static JsonElement.ArrayEnumerator Moves(JsonElement payload) => payload.GetProperty("volunteers").EnumerateArray();

    private static Guid RequestId(JsonElement payload) => payload.GetProperty("request").GetProperty("id").GetGuid();

    private static OfferView Offer(Guid requestId) => new(
        requestId, HelpCategory.Medicine, Urgency.Urgent, 7.5, 1234.0, new GeoPoint(31.23, 121.47), CreatedAt, RequestStatus.Offered);

    internal static HelpRequestView Request(Guid requestId) => new()
    {
        Id = requestId,
        Status = RequestStatus.Offered,
        Category = HelpCategory.Meals,
        Urgency = Urgency.Routine,
        Position = new GeoPoint(31.2301, 121.4701),
        Address = "静安区某路 12 号",
        Description = "需要送餐",
        CallerPhone = "13800001111",
        StationId = Guid.NewGuid(),
        OfferedCount = 3,
        CircleMinutes = 15,
        CreatedBy = Guid.NewGuid(),
        CreatedAt = CreatedAt,
        DeadlineAt = CreatedAt.AddMinutes(15),
        Version = 1,
    };
}
