using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Outreach.Live;

namespace Outreach.Grains.Live;

/// <summary>
/// This silo's list of live web nodes and its delivery to them: one instance per silo (a DI singleton) shared by
/// every <see cref="LiveNotifierGrain"/> activation, so publishing never waits for a remote grain.
/// </summary>
/// <remarks>
/// The list is refreshed from the <see cref="LiveRegistryGrain"/> every <see cref="RefreshEvery"/> in the
/// background, with a <see cref="RefreshTimeout"/>. A registry that fails, or a fresh activation that does not list
/// a node yet, removes nothing: a node leaves only when the registry reports it unsubscribed, or when no answer
/// has listed it for longer than the registry's node expiry. Batches published while no node is known (before the
/// first answer, or while a registry that just started has not heard from any node yet) wait for the first node,
/// for at most <see cref="LiveNodeSender.MaxAge"/>.
/// Each node gets its own <see cref="LiveNodeSender"/>, which delivers in order and sends again what did not arrive.
/// </remarks>
public sealed class LiveNodes(IGrainFactory grains, TimeProvider clock, ILoggerFactory loggers) : BackgroundService
{
    /// <summary>How often the list is refreshed from the registry.</summary>
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(1);

    /// <summary>How long a refresh may take before the silo gives up and keeps its list.</summary>
    public static readonly TimeSpan RefreshTimeout = TimeSpan.FromSeconds(1);

    private readonly ILogger _log = loggers.CreateLogger<LiveNodes>();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LiveNodeSender> _senders = new(StringComparer.Ordinal);

    /// <summary>Identifies this silo's senders to the web nodes, which use it to drop a batch sent twice.</summary>
    private readonly string _source = Guid.NewGuid().ToString("N");

    // Batches published while no node was known.
    private readonly List<(LiveBatch Batch, DateTimeOffset At)> _waitingForANode = [];
    private bool _refreshFailing;

    /// <summary>The nodes currently known.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
                return _senders.Count;
        }
    }

    /// <summary>Queues <paramref name="batch"/> for every known live node; never waits.</summary>
    public void Publish(LiveBatch batch)
    {
        lock (_gate)
        {
            if (_senders.Count == 0)
            {
                if (_waitingForANode.Count < LiveNodeSender.MaxQueued)
                    _waitingForANode.Add((batch, clock.GetUtcNow()));
                return;
            }
            foreach (var sender in _senders.Values)
                sender.Enqueue(batch, clock.GetUtcNow());
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await RefreshAsync(stoppingToken);
                await Task.Delay(RefreshEvery, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The silo is stopping.
        }
        finally
        {
            lock (_gate)
            {
                foreach (var sender in _senders.Values)
                    sender.Dispose();
                _senders.Clear();
            }
        }
    }

    /// <summary>Merges the registry's answer into the list; exposed for tests.</summary>
    internal async Task RefreshAsync(CancellationToken cancellationToken)
    {
        LiveNodeList list;
        try
        {
            list = await grains.LiveRegistry().GetNodesAsync()
                .WaitAsync(RefreshTimeout, clock, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (!_refreshFailing)
                _log.LogWarning("Could not refresh the live nodes ({Reason}); delivering to the {Count} known", e.Message.Split('\n')[0], Count);
            _refreshFailing = true;
            return;
        }
        if (_refreshFailing)
            _log.LogInformation("Live nodes refreshed again: {Count} listed", list.Nodes.Length);
        _refreshFailing = false;
        Merge(list);
    }

    private void Merge(LiveNodeList list)
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            foreach (var node in list.Nodes)
            {
                if (_senders.TryGetValue(node.NodeId, out var sender))
                {
                    sender.Seen(node.Observer, node.LastSeen);
                    continue;
                }
                sender = new LiveNodeSender(node.NodeId, node.Observer, node.LastSeen, _source, clock, loggers.CreateLogger<LiveNodeSender>());
                _senders[node.NodeId] = sender;
                _log.LogInformation("Live node {NodeId} known; delivering to {Count} node(s)", node.NodeId, _senders.Count);
            }
            foreach (var nodeId in list.Departed)
                Drop(nodeId, "unsubscribed");
            foreach (var (nodeId, sender) in _senders.Where(s => s.Value.LastSeen < now - list.NodeExpiry).ToList())
                Drop(nodeId, $"not renewed since {sender.LastSeen:O}");
            if (_senders.Count > 0 && _waitingForANode.Count > 0)
            {
                foreach (var (batch, at) in _waitingForANode.Where(w => w.At >= now - LiveNodeSender.MaxAge))
                {
                    foreach (var sender in _senders.Values)
                        sender.Enqueue(batch, at);
                }
                _waitingForANode.Clear();
            }
        }
    }

    private void Drop(string nodeId, string why)
    {
        if (_senders.Remove(nodeId, out var sender))
        {
            sender.Dispose();
            _log.LogInformation("Live node {NodeId} dropped ({Why}); delivering to {Count} node(s)", nodeId, why, _senders.Count);
        }
    }
}
