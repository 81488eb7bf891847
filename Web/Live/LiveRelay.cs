using Microsoft.AspNetCore.SignalR;
using Outreach.Accounts;
using Outreach.Dispatch;
using Outreach.Live;
using Outreach.Model;
using Outreach.Web.Auth;
using Outreach.Web.Dispatch;

namespace Outreach.Web.Live;

/// <summary>
/// This web node's ear in the cluster: an Orleans observer, registered with the live registry and renewed
/// every <see cref="ResubscribeEvery"/> (and at once when the cluster's gateways change), that relays each batch
/// to the SignalR groups it concerns. Every event sent gets the next number of one per-process counter
/// (<see cref="CurrentSeq"/>), so each connection sees increasing <c>seq</c>s; an event sent to several groups
/// keeps one <c>seq</c>, so a connection in two of them can drop the repeat.
/// </summary>
/// <remarks>
/// <para>A request's change goes at once, as <c>requestUpdated</c>, to the operator who took the call and the volunteer
/// whose job it is (or was); the coordinators' pages hear of it within a second: changes are gathered (each request's
/// newest version) and sent once a second as one <c>requestsUpdated</c> — in a city at 100 requests a second a desk
/// gets one message a second instead of one per change.</para>
/// <para><c>volunteerDuty</c> (to every coordinator) when the volunteer is off duty, or on duty and not relayed on duty
/// by this node since it started or since they were last off duty. Any other change is a move: moves are gathered
/// (each volunteer's latest) and sent once a second as <c>volunteersMoved</c>, to each map that draws single volunteers
/// and whose box holds the volunteer's new or previous position (<see cref="MapWatchers"/>); nobody else hears of them.</para>
/// <para>When events may have been missed — the registry did not know this node (a new activation after its silo
/// died), a renewal failed, or the client lost a gateway — every connection of the node gets <c>resync</c>, and
/// pages re-read their state.</para>
/// </remarks>
public sealed class LiveRelay(
    IGrainFactory grains, IHubContext<LiveHub> hub, ClusterConnectionSignal cluster, SessionRevocations sessions, MapWatchers maps,
    VolunteerConnections volunteers, LiveConnections connections, ILogger<LiveRelay> log)
    : BackgroundService, ILiveObserver
{
    /// <summary>
    /// How long one event may take to be written to a connection. SignalR waits for a reader's buffer to drain; a page
    /// that cannot take an event in this time (a desk on a slow link) is closed — it connects again and reads its state —
    /// instead of holding every later event of this node, the volunteers' offers included.
    /// </summary>
    public static readonly TimeSpan DefaultSendDeadline = TimeSpan.FromSeconds(5);

    /// <summary>This relay's <see cref="DefaultSendDeadline"/> (shorter in tests).</summary>
    internal TimeSpan SendDeadline { get; init; } = DefaultSendDeadline;

    /// <summary>How often the coordinators hear of the requests' changes, and the maps that show them of moves.</summary>
    public static readonly TimeSpan GatheredEvery = TimeSpan.FromSeconds(1);

    /// <summary>How often the node renews its subscription (the registry drops it after 15 s of silence).</summary>
    public static readonly TimeSpan ResubscribeEvery = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan RenewTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan UnsubscribeTimeout = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _relaying = new(1, 1);
    private readonly HashSet<Guid> _onDuty = [];
    private readonly Dictionary<Guid, GeoPoint> _shownAt = [];
    private readonly Lock _gatheredLock = new();
    private Dictionary<Guid, VolunteerChange> _moves = [];
    private Dictionary<Guid, HelpRequestView> _deskRequests = [];
    private readonly Dictionary<string, long> _delivered = new(StringComparer.Ordinal);
    private ILiveObserver? _reference;
    private long _seq;
    private bool _subscribed;
    private bool _everSubscribed;

    /// <summary>This process's id in the registry.</summary>
    public string NodeId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>The <c>seq</c> of the last event sent; a snapshot taken after reading it misses no later event.</summary>
    public long CurrentSeq => Interlocked.Read(ref _seq);

    private ILiveRegistryGrain Registry => grains.LiveRegistry();

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _reference = grains.CreateObjectReference<ILiveObserver>(this);
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await Registry.UnsubscribeAsync(NodeId).WaitAsync(UnsubscribeTimeout, cancellationToken);
        }
        catch (Exception e)
        {
            log.LogWarning("Could not unsubscribe live node {NodeId} ({Reason}); it expires on its own", NodeId, e.Message);
        }
        try
        {
            if (_reference is not null)
                grains.DeleteObjectReference<ILiveObserver>(_reference);
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or ArgumentException)
        {
            // The Orleans client is already shut down: the reference went with it.
        }
    }

    public override void Dispose()
    {
        _relaying.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var gathered = SendGatheredAsync(stoppingToken);
        try
        {
            while (true)
            {
                await SubscribeAsync(stoppingToken);
                // Every second, or at once when a gateway appears or goes away.
                await cluster.WaitAsync(ResubscribeEvery, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        await gathered;
    }

    /// <summary>Once a second: the requests' changes gathered since to the coordinators, the moves to the maps that show them.</summary>
    private async Task SendGatheredAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(GatheredEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await SendGatheredAsync();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>What was gathered since the last call: the requests' newest views to the coordinators, then the moves.</summary>
    internal async Task SendGatheredAsync()
    {
        await _relaying.WaitAsync();
        try
        {
            Dictionary<Guid, HelpRequestView> requests;
            Dictionary<Guid, VolunteerChange> moves;
            lock (_gatheredLock)
            {
                (requests, moves) = (_deskRequests, _moves);
                if (requests.Count > 0)
                    _deskRequests = [];
                if (moves.Count > 0)
                    _moves = [];
            }
            if (requests.Count > 0)
            {
                var seq = Interlocked.Increment(ref _seq);
                await SendToDesksAsync(LiveEvents.RequestsUpdated, new RequestsUpdatedEvent(seq, [.. requests.Values.Select(RequestDto.From)]), seq);
            }
            if (moves.Count > 0)
                await SendMovesAsync(moves.Values);
        }
        catch (Exception e)
        {
            // What the next second gathers goes out as usual; a page that missed these catches up with later changes
            // (a request's next version, a volunteer's next move) or at its next resync.
            log.LogWarning(e, "Could not send the gathered request changes and moves");
        }
        finally
        {
            _relaying.Release();
        }
    }

    private async Task SendMovesAsync(ICollection<VolunteerChange> moves)
    {
        // Where each was last shown, then where they are now: a map gets a move that enters, stays in or leaves its box.
        var before = moves.ToDictionary(m => m.VolunteerId, m => _shownAt.TryGetValue(m.VolunteerId, out var p) ? p : (GeoPoint?)null);
        foreach (var move in moves)
        {
            if (move.Position is { } position)
                _shownAt[move.VolunteerId] = position;
        }
        if (maps.IsEmpty)
            return;
        var seq = Interlocked.Increment(ref _seq);
        var desks = connections.In(LiveGroups.Coordinators).ToDictionary(c => c.ConnectionId, StringComparer.Ordinal);
        var sends = new List<Task>();
        foreach (var (connectionId, box) in maps.ShowingMarkers())
        {
            var shown = moves.Where(m => MapWatchers.Shows(box, m.Position, before[m.VolunteerId]))
                .Select(m => VolunteerEvent.From(seq, m)).ToArray();
            if (shown.Length > 0)
            {
                sends.Add(SendAsync(hub.Clients.Client(connectionId), LiveEvents.VolunteersMoved, new VolunteersMovedEvent(seq, shown), seq,
                    () => desks.TryGetValue(connectionId, out var desk) ? [desk] : []));
            }
        }
        await Task.WhenAll(sends);
    }

    public async Task OnBatchAsync(LiveBatch batch)
    {
        // One batch at a time, numbering and sending in the same order, so seq only grows on every connection.
        await _relaying.WaitAsync();
        try
        {
            await RelayAsync(batch);
        }
        finally
        {
            _relaying.Release();
        }
    }

    public async Task DeliverAsync(string source, long firstSeq, LiveBatch[] batches)
    {
        await _relaying.WaitAsync();
        try
        {
            // A silo sends again what it is not sure arrived; relay only what was not relayed yet.
            var done = _delivered.GetValueOrDefault(source);
            for (var i = 0; i < batches.Length; i++)
            {
                if (firstSeq + i > done)
                    await RelayAsync(batches[i]);
            }
            _delivered[source] = Math.Max(done, firstSeq + batches.Length - 1);
        }
        finally
        {
            _relaying.Release();
        }
    }

    /// <summary>An account grain revoked sessions: handed to <see cref="SessionRevocations"/> (cache and hub connections).</summary>
    public Task EndSessionsAsync(SessionRevocation revocation)
    {
        sessions.Revoke(revocation);
        return Task.CompletedTask;
    }

    private async Task RelayAsync(LiveBatch batch)
    {
            // Volunteers are told only when they have a connection here (most of a round's fifty are elsewhere).
            foreach (var round in batch.Offers)
            {
                foreach (var volunteer in round.To)
                {
                    if (volunteers.GroupOf(volunteer.VolunteerId) is { } group)
                    {
                        var seq = Interlocked.Increment(ref _seq);
                        await SendToGroupAsync(group, LiveEvents.Offer, OfferEvent.From(seq, round.ViewFor(volunteer)), seq);
                    }
                }
            }
            foreach (var withdrawal in batch.Withdrawals)
            {
                var groups = VolunteerGroupsHere(withdrawal.VolunteerIds);
                if (groups.Count > 0)
                {
                    var seq = Interlocked.Increment(ref _seq);
                    await SendToGroupsAsync(groups, LiveEvents.OfferWithdrawn, new OfferWithdrawnEvent(seq, withdrawal.RequestId, withdrawal.Reason), seq);
                }
            }
            foreach (var change in batch.Requests)
            {
                // Whole to the operator who took the call and the volunteer whose current job it is; masked to a volunteer
                // it no longer concerns (just released, replaced, or the job is over); one seq. Coordinators: gathered.
                var view = change.Request;
                lock (_gatheredLock)
                {
                    if (!_deskRequests.TryGetValue(view.Id, out var known) || view.Version >= known.Version)
                        _deskRequests[view.Id] = view;
                }
                var whole = change.Accounts.Distinct().Select(LiveGroups.Account).ToList();
                var masked = new List<string>();
                foreach (var volunteerId in change.Volunteers.Distinct())
                {
                    if (volunteers.GroupOf(volunteerId) is { } group)
                        (RequestVisibility.IsCurrentJobOf(view, volunteerId) ? whole : masked).Add(group);
                }
                if (whole.Count == 0 && masked.Count == 0)
                    continue;
                var seq = Interlocked.Increment(ref _seq);
                if (whole.Count > 0)
                    await SendToGroupsAsync(whole, LiveEvents.RequestUpdated, new RequestUpdatedEvent(seq, RequestDto.From(view)), seq);
                if (masked.Count > 0)
                    await SendToGroupsAsync(masked, LiveEvents.RequestUpdated, new MaskedRequestUpdatedEvent(seq, MaskedRequestDto.From(view)), seq);
            }
            foreach (var change in batch.Volunteers)
            {
                if (IsDutyChange(change))
                {
                    if (change.OnDuty && change.Position is { } position)
                        _shownAt[change.VolunteerId] = position;
                    else
                        _shownAt.Remove(change.VolunteerId);
                    var seq = Interlocked.Increment(ref _seq);
                    await SendToDesksAsync(LiveEvents.VolunteerDuty, VolunteerEvent.From(seq, change), seq);
                }
                else
                {
                    // Reports can arrive out of order (one-way calls): keep the newest by its time, not the last to arrive.
                    lock (_gatheredLock)
                    {
                        if (!_moves.TryGetValue(change.VolunteerId, out var known) || change.At >= known.At)
                            _moves[change.VolunteerId] = change;
                    }
                }
            }
    }

    /// <summary>The groups of those among <paramref name="volunteerIds"/> with a connection here, each once.</summary>
    private List<string> VolunteerGroupsHere(IEnumerable<Guid> volunteerIds)
    {
        var groups = new List<string>();
        foreach (var volunteerId in volunteerIds)
        {
            if (volunteers.GroupOf(volunteerId) is { } group && !groups.Contains(group))
                groups.Add(group);
        }
        return groups;
    }

    /// <summary>Off duty, or on duty and not yet relayed on duty by this node: <c>volunteerDuty</c>; otherwise a move.</summary>
    private bool IsDutyChange(VolunteerChange change)
    {
        if (!change.OnDuty)
        {
            _onDuty.Remove(change.VolunteerId);
            lock (_gatheredLock)
                _moves.Remove(change.VolunteerId);
            return true;
        }
        return _onDuty.Add(change.VolunteerId);
    }

    /// <summary>To every coordinator's desk on this node, each written on its own (one slow desk holds none of the others).</summary>
    private Task SendToDesksAsync(string eventName, object payload, long seq) =>
        Task.WhenAll(connections.In(LiveGroups.Coordinators).Select(desk =>
            SendAsync(hub.Clients.Client(desk.ConnectionId), eventName, payload, seq, () => [desk])));

    /// <summary>To one user's group (their connections here); the group's connections are closed if it cannot take the event in time.</summary>
    private Task SendToGroupAsync(string group, string eventName, object payload, long seq) =>
        SendAsync(hub.Clients.Group(group), eventName, payload, seq, () => connections.In(group));

    /// <summary>
    /// To several users' groups in one send (the event is serialized once: a claim withdraws an offer from dozens of
    /// phones). When it cannot be written to all of them in time, each group is sent it again on its own, briefly: those
    /// that took the first already drop the repeat (same <c>seq</c>), those that still cannot take it are closed.
    /// </summary>
    private async Task SendToGroupsAsync(List<string> groups, string eventName, object payload, long seq)
    {
        if (groups.Count == 1)
        {
            await SendToGroupAsync(groups[0], eventName, payload, seq);
            return;
        }
        if (await TrySendAsync(hub.Clients.Groups(groups), eventName, payload, seq, SendDeadline))
            return;
        await Task.WhenAll(groups.Select(group =>
            SendAsync(hub.Clients.Group(group), eventName, payload, seq, () => connections.In(group), RetryDeadline)));
    }

    /// <summary>How long the connections of a send that timed out get to take the event again on their own.</summary>
    private static readonly TimeSpan RetryDeadline = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Writes the event, waiting at most <see cref="SendDeadline"/> (or <paramref name="deadline"/>); the connections
    /// that could not take it in that time (<paramref name="behind"/>) are closed.
    /// </summary>
    private async Task SendAsync(IClientProxy target, string eventName, object payload, long seq, Func<IReadOnlyList<HubCallerContext>> behind,
        TimeSpan? deadline = null)
    {
        if (await TrySendAsync(target, eventName, payload, seq, deadline ?? SendDeadline))
            return;
        var closing = behind();
        log.LogWarning("A live connection could not take {Event} (seq {Seq}) in time; {Count} connection(s) closed, their pages connect again and read their state",
            eventName, seq, closing.Count);
        foreach (var connection in closing)
            connection.Abort();
    }

    /// <summary>Writes the event within <paramref name="deadline"/>: false when it could not; a failure is logged, never thrown.</summary>
    private async Task<bool> TrySendAsync(IClientProxy target, string eventName, object payload, long seq, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await target.SendAsync(eventName, payload, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Could not relay live event {Event} (seq {Seq})", eventName, seq);
        }
        return true;
    }

    private async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        var interrupted = cluster.TakeInterrupted();
        try
        {
            var renewal = await Registry.RenewAsync(NodeId, _reference!).WaitAsync(RenewTimeout, cancellationToken);
            var known = renewal.Known;
            if (!_subscribed)
                log.LogInformation("Live node {NodeId} subscribed", NodeId);
            if (renewal.MissedRevocation)
                log.LogWarning("Live node {NodeId} missed a session revocation; every account is read again", NodeId);
            var missed = _everSubscribed && (!known || !_subscribed || interrupted);
            // Revocations are pushed to the nodes the registry lists: one it did not list may have missed some, and one
            // an account grain could not reach has.
            sessions.FeedUp(mayHaveMissed: !known || !_subscribed || renewal.MissedRevocation);
            _subscribed = true;
            _everSubscribed = true;
            if (missed)
            {
                var reason = !known ? "the live registry did not know this node" : interrupted ? "a gateway was lost" : "renewing failed";
                await ResyncAsync(reason);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (_subscribed)
            {
                log.LogWarning("Could not renew live node {NodeId} ({Reason}); trying again every {Seconds} s",
                    NodeId, e.Message.Split('\n')[0], ResubscribeEvery.TotalSeconds);
            }
            _subscribed = false;
            sessions.FeedDown();
        }
    }

    /// <summary>Tells every connection of this node to re-read its state: events may have been missed.</summary>
    private async Task ResyncAsync(string reason)
    {
        log.LogInformation("Live node {NodeId}: resync sent to its connections ({Reason})", NodeId, reason);
        try
        {
            await hub.Clients.All.SendAsync(LiveEvents.Resync, new ResyncEvent(reason));
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Could not send resync");
        }
    }
}
