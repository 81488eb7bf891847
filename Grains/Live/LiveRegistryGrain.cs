using Microsoft.Extensions.Logging;
using Outreach.Live;

namespace Outreach.Grains.Live;

/// <summary>
/// The live web nodes (key <c>live</c>): node id → observer and when the node last renewed. A node that has not
/// renewed for <see cref="NodeExpiry"/> is dropped. State is in memory on purpose: nodes renew every second, so a
/// new activation (its silo died) is full again within a second, and the silos' <see cref="LiveNodes"/> caches
/// keep delivering meanwhile because a registry that does not list a node never removes it from them.
/// </summary>
public sealed class LiveRegistryGrain(TimeProvider clock, ILogger<LiveRegistryGrain> log) : Grain, ILiveRegistryGrain
{
    /// <summary>How long a node stays listed after its last renewal (many missed 1 s renewals).</summary>
    public static readonly TimeSpan NodeExpiry = TimeSpan.FromSeconds(15);

    /// <summary>How long an unsubscribed node is reported as departed, so every silo's cache hears of it.</summary>
    private static readonly TimeSpan RememberDeparted = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, Node> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _departed = new(StringComparer.Ordinal);

    // Starts from the clock so a new activation never hands out a version an old one already did.
    private long _version = clock.GetUtcNow().ToUnixTimeMilliseconds();

    public Task SubscribeAsync(string nodeId, ILiveObserver observer)
    {
        Renew(nodeId, observer, tellMissed: false);
        return Task.CompletedTask;
    }

    public Task<LiveRenewal> RenewAsync(string nodeId, ILiveObserver observer) => Task.FromResult(Renew(nodeId, observer, tellMissed: true));

    private LiveRenewal Renew(string nodeId, ILiveObserver observer, bool tellMissed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeId);
        ArgumentNullException.ThrowIfNull(observer);
        RemoveExpired();
        var known = _nodes.TryGetValue(nodeId, out var node) && node.Observer.Equals(observer);
        var missed = known && node!.MissedRevocation;
        // Once told, the flag is cleared (a node not known forgets everything anyway).
        _nodes[nodeId] = new Node(observer, clock.GetUtcNow(), missed && !tellMissed);
        _departed.Remove(nodeId);
        if (!known)
        {
            _version++;
            log.LogInformation("Live node {NodeId} subscribed; {Count} node(s) listening", nodeId, _nodes.Count);
        }
        return new LiveRenewal(known, missed && tellMissed);
    }

    public Task MissedRevocationAsync(ILiveObserver[] observers)
    {
        ArgumentNullException.ThrowIfNull(observers);
        foreach (var (nodeId, node) in _nodes.Where(n => observers.Contains(n.Value.Observer)).ToList())
        {
            _nodes[nodeId] = node with { MissedRevocation = true };
            log.LogWarning("Live node {NodeId} missed a session revocation; it forgets the accounts it knew at its next renewal", nodeId);
        }
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(string nodeId)
    {
        if (_nodes.Remove(nodeId))
        {
            _version++;
            log.LogInformation("Live node {NodeId} unsubscribed; {Count} node(s) listening", nodeId, _nodes.Count);
        }
        _departed[nodeId] = clock.GetUtcNow();
        return Task.CompletedTask;
    }

    public Task<LiveObservers> GetObserversAsync()
    {
        RemoveExpired();
        return Task.FromResult(new LiveObservers(_version, [.. _nodes.Values.Select(n => n.Observer)]));
    }

    public Task<LiveNodeList> GetNodesAsync()
    {
        RemoveExpired();
        return Task.FromResult(new LiveNodeList(
            [.. _nodes.Select(n => new LiveNode(n.Key, n.Value.Observer, n.Value.LastSeen))],
            [.. _departed.Keys],
            NodeExpiry));
    }

    private void RemoveExpired()
    {
        var now = clock.GetUtcNow();
        foreach (var (nodeId, node) in _nodes.Where(n => n.Value.LastSeen < now - NodeExpiry).ToList())
        {
            _nodes.Remove(nodeId);
            _version++;
            log.LogWarning("Live node {NodeId} expired (last seen {LastSeen:O}); {Count} node(s) listening",
                nodeId, node.LastSeen, _nodes.Count);
        }
        foreach (var nodeId in _departed.Where(d => d.Value < now - RememberDeparted).Select(d => d.Key).ToList())
            _departed.Remove(nodeId);
    }

    private sealed record Node(ILiveObserver Observer, DateTimeOffset LastSeen, bool MissedRevocation = false);
}
