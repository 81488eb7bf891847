using Microsoft.Extensions.Logging;
using Outreach.Live;

namespace Outreach.Grains.Live;

/// <summary>
/// The live web nodes (key <c>live</c>): node id → observer and when the node last subscribed. A node that
/// has not re-subscribed for <see cref="NodeExpiry"/> is dropped. State is in memory on purpose: nodes
/// re-subscribe every ~20 s, so a new activation is full again within one period.
/// </summary>
public sealed class LiveRegistryGrain(TimeProvider clock, ILogger<LiveRegistryGrain> log) : Grain, ILiveRegistryGrain
{
    /// <summary>The registry's key; there is one registry.</summary>
    public const string Key = "live";

    /// <summary>How long a node stays listed after its last subscription (three missed 20 s periods).</summary>
    public static readonly TimeSpan NodeExpiry = TimeSpan.FromSeconds(35);

    private readonly Dictionary<string, Node> _nodes = new(StringComparer.Ordinal);

    // Starts from the clock so a new activation never hands out a version an old one already did.
    private long _version = clock.GetUtcNow().ToUnixTimeMilliseconds();

    public Task SubscribeAsync(string nodeId, ILiveObserver observer)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeId);
        ArgumentNullException.ThrowIfNull(observer);
        RemoveExpired();
        var known = _nodes.TryGetValue(nodeId, out var node) && node.Observer.Equals(observer);
        _nodes[nodeId] = new Node(observer, clock.GetUtcNow());
        if (!known)
        {
            _version++;
            log.LogInformation("Live node {NodeId} subscribed; {Count} node(s) listening", nodeId, _nodes.Count);
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
        return Task.CompletedTask;
    }

    public Task<LiveObservers> GetObserversAsync()
    {
        RemoveExpired();
        return Task.FromResult(new LiveObservers(_version, [.. _nodes.Values.Select(n => n.Observer)]));
    }

    private void RemoveExpired()
    {
        var cutoff = clock.GetUtcNow() - NodeExpiry;
        foreach (var (nodeId, node) in _nodes.Where(n => n.Value.LastSeen < cutoff).ToList())
        {
            _nodes.Remove(nodeId);
            _version++;
            log.LogWarning("Live node {NodeId} expired (last seen {LastSeen:O}); {Count} node(s) listening",
                nodeId, node.LastSeen, _nodes.Count);
        }
    }

    private sealed record Node(ILiveObserver Observer, DateTimeOffset LastSeen);
}
