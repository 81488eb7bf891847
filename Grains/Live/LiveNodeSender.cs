using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Outreach.Live;

namespace Outreach.Grains.Live;

/// <summary>
/// Delivers one silo's batches to one web node, in order: whatever is queued goes in one call, and a call that
/// fails or times out (a silo on the way died, the node is briefly unreachable) is made again with the same
/// numbers, which the node uses to drop what it already relayed. A batch older than <see cref="MaxAge"/> is given
/// up (the node's pages re-read their state when they reconnect or are told to resync).
/// </summary>
public sealed class LiveNodeSender : IDisposable
{
    /// <summary>At most this many batches wait for one node; beyond it the oldest are given up.</summary>
    public const int MaxQueued = 10_000;

    /// <summary>How long one delivery may take before it is tried again.</summary>
    public static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How long a batch is tried before it is given up.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);

    private const int MaxPerCall = 256;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);

    private readonly Channel<(LiveBatch Batch, DateTimeOffset At)> _queue = Channel.CreateBounded<(LiveBatch, DateTimeOffset)>(
        new BoundedChannelOptions(MaxQueued) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly string _nodeId;
    private readonly string _source;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private ILiveObserver _observer;
    private long _lastSeenTicks;
    private long _nextSeq = 1;

    public LiveNodeSender(string nodeId, ILiveObserver observer, DateTimeOffset lastSeen, string source, TimeProvider clock, ILogger log)
    {
        _nodeId = nodeId;
        _observer = observer;
        _lastSeenTicks = lastSeen.UtcTicks;
        _source = source;
        _clock = clock;
        _log = log;
        _ = Task.Run(SendLoopAsync);
    }

    /// <summary>When the registry last saw the node renew.</summary>
    public DateTimeOffset LastSeen => new(Interlocked.Read(ref _lastSeenTicks), TimeSpan.Zero);

    /// <summary>The registry listed the node again (perhaps with a new observer reference).</summary>
    public void Seen(ILiveObserver observer, DateTimeOffset lastSeen)
    {
        Volatile.Write(ref _observer, observer);
        if (lastSeen.UtcTicks > Interlocked.Read(ref _lastSeenTicks))
            Interlocked.Exchange(ref _lastSeenTicks, lastSeen.UtcTicks);
    }

    /// <summary>Queues a batch for the node.</summary>
    public void Enqueue(LiveBatch batch, DateTimeOffset at) => _queue.Writer.TryWrite((batch, at));

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _stop.Cancel();
        _stop.Dispose();
    }

    private async Task SendLoopAsync()
    {
        var stop = _stop.Token;
        var pending = new List<(LiveBatch Batch, DateTimeOffset At)>();
        var failing = false;
        try
        {
            // A failed delivery is tried again without waiting for a new batch.
            while (pending.Count > 0 || await _queue.Reader.WaitToReadAsync(stop))
            {
                while (pending.Count < MaxPerCall && _queue.Reader.TryRead(out var item))
                    pending.Add(item);
                // The oldest given up keep their numbers: the node may have relayed them (an answer lost), and the
                // batches after them must not take numbers it has already seen.
                var oldest = _clock.GetUtcNow() - MaxAge;
                var expired = 0;
                while (expired < pending.Count && pending[expired].At < oldest)
                    expired++;
                pending.RemoveRange(0, expired);
                _nextSeq += expired;
                if (expired > 0)
                    _log.LogWarning("Gave up {Count} live batch(es) for node {NodeId} after {Seconds} s", expired, _nodeId, MaxAge.TotalSeconds);
                if (pending.Count == 0)
                    continue;
                try
                {
                    await Volatile.Read(ref _observer).DeliverAsync(_source, _nextSeq, [.. pending.Select(p => p.Batch)])
                        .WaitAsync(DeliveryTimeout, _clock, stop);
                    _nextSeq += pending.Count;
                    pending.Clear();
                    if (failing)
                        _log.LogInformation("Live node {NodeId} reachable again", _nodeId);
                    failing = false;
                }
                catch (Exception e) when (!stop.IsCancellationRequested)
                {
                    if (!failing)
                        _log.LogWarning("Could not deliver live batches to node {NodeId} ({Reason}); trying again", _nodeId, e.Message.Split('\n')[0]);
                    failing = true;
                    await Task.Delay(RetryDelay, _clock, stop);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Dropped or stopping.
        }
    }
}
