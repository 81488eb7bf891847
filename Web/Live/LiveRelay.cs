using Microsoft.AspNetCore.SignalR;
using Outreach.Accounts;
using Outreach.Live;
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
/// <para><c>volunteerDuty</c> or <c>volunteerMoved</c>: <c>volunteerDuty</c> when the volunteer is off duty, or on
/// duty and not relayed on duty by this node since it started or since they were last off duty;
/// <c>volunteerMoved</c> otherwise. Both carry the same payload, so a page may treat them alike (upsert the
/// marker; remove it when <c>onDuty</c> is false).</para>
/// <para>When events may have been missed — the registry did not know this node (a new activation after its silo
/// died), a renewal failed, or the client lost a gateway — every connection of the node gets <c>resync</c>, and
/// pages re-read their state.</para>
/// </remarks>
public sealed class LiveRelay(
    IGrainFactory grains, IHubContext<LiveHub> hub, ClusterConnectionSignal cluster, SessionRevocations sessions, ILogger<LiveRelay> log)
    : BackgroundService, ILiveObserver
{
    /// <summary>How often the node renews its subscription (the registry drops it after 15 s of silence).</summary>
    public static readonly TimeSpan ResubscribeEvery = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan RenewTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan UnsubscribeTimeout = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _relaying = new(1, 1);
    private readonly HashSet<Guid> _onDuty = [];
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
            foreach (var notice in batch.Offers)
            {
                await SendAsync(hub.Clients.Group(LiveGroups.Volunteer(notice.VolunteerId)), LiveEvents.Offer,
                    seq => OfferEvent.From(seq, notice.Offer));
            }
            foreach (var withdrawal in batch.Withdrawals)
            {
                var groups = withdrawal.VolunteerIds.Distinct().Select(LiveGroups.Volunteer).ToList();
                if (groups.Count > 0)
                {
                    await SendAsync(hub.Clients.Groups(groups), LiveEvents.OfferWithdrawn,
                        seq => new OfferWithdrawnEvent(seq, withdrawal.RequestId, withdrawal.Reason));
                }
            }
            foreach (var change in batch.Requests)
            {
                // Whole to coordinators, the operator who took the call and the volunteer whose current job it is;
                // masked to a volunteer it no longer concerns (just released, replaced, or the job is over). One seq.
                var view = change.Request;
                var whole = change.Accounts.Distinct().Select(LiveGroups.Account).Prepend(LiveGroups.Coordinators).ToList();
                var masked = new List<string>();
                foreach (var volunteerId in change.Volunteers.Distinct())
                    (RequestVisibility.IsCurrentJobOf(view, volunteerId) ? whole : masked).Add(LiveGroups.Volunteer(volunteerId));
                var seq = Interlocked.Increment(ref _seq);
                await SendAsync(hub.Clients.Groups(whole), LiveEvents.RequestUpdated, new RequestUpdatedEvent(seq, RequestDto.From(view)), seq);
                if (masked.Count > 0)
                {
                    await SendAsync(hub.Clients.Groups(masked), LiveEvents.RequestUpdated,
                        new MaskedRequestUpdatedEvent(seq, MaskedRequestDto.From(view)), seq);
                }
            }
            foreach (var change in batch.Volunteers)
            {
                await SendAsync(hub.Clients.Group(LiveGroups.Coordinators), VolunteerEventName(change),
                    seq => VolunteerEvent.From(seq, change));
            }
    }

    private string VolunteerEventName(VolunteerChange change)
    {
        if (!change.OnDuty)
        {
            _onDuty.Remove(change.VolunteerId);
            return LiveEvents.VolunteerDuty;
        }
        return _onDuty.Add(change.VolunteerId) ? LiveEvents.VolunteerDuty : LiveEvents.VolunteerMoved;
    }

    private Task SendAsync(IClientProxy target, string eventName, Func<long, object> payload)
    {
        var seq = Interlocked.Increment(ref _seq);
        return SendAsync(target, eventName, payload(seq), seq);
    }

    private async Task SendAsync(IClientProxy target, string eventName, object payload, long seq)
    {
        try
        {
            await target.SendAsync(eventName, payload);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Could not relay live event {Event} (seq {Seq})", eventName, seq);
        }
    }

    private async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        var interrupted = cluster.TakeInterrupted();
        try
        {
            var known = await Registry.RenewAsync(NodeId, _reference!).WaitAsync(RenewTimeout, cancellationToken);
            if (!_subscribed)
                log.LogInformation("Live node {NodeId} subscribed", NodeId);
            var missed = _everSubscribed && (!known || !_subscribed || interrupted);
            // Revocations are pushed to the nodes the registry lists: one it did not list may have missed some.
            sessions.FeedUp(mayHaveMissed: !known || !_subscribed);
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
