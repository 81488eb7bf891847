using Outreach.Reach;
using Outreach.Cluster;

namespace Outreach.Web.Push;

/// <summary>
/// "A device showed the offer", gathered per request for <see cref="Linger"/> and told to the request's reach grain in
/// one call: an offer goes to up to fifty phones at once and their acknowledgements arrive within moments of each other,
/// so a request costs a few grain calls instead of two per phone. The reach grain decides whose offer is still open.
/// </summary>
public sealed class OfferAcknowledgements
{
    /// <summary>How long the first acknowledgement of a request waits for others.</summary>
    public static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(100);

    private readonly Func<Guid, OfferSeen[], Task> _tell;
    private readonly TimeSpan _linger;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, Batch> _pending = [];

    public OfferAcknowledgements(IGrainFactory grains, ILogger<OfferAcknowledgements> log)
        : this((request, seen) => grains.Get<IRequestReachGrain>(request).AcknowledgeAllAsync(seen), Linger, log)
    {
    }

    /// <summary>With another receiver and wait (tests).</summary>
    public OfferAcknowledgements(Func<Guid, OfferSeen[], Task> tell, TimeSpan linger, ILogger log)
    {
        _tell = tell;
        _linger = linger;
        _log = log;
    }

    /// <summary>
    /// Adds the acknowledgement to its request's batch; the task ends when the reach grain has taken the batch (or
    /// fails as that call failed).
    /// </summary>
    public Task AcknowledgeAsync(Guid requestId, Guid volunteerId, ReachChannel channel)
    {
        Batch? batch;
        var first = false;
        lock (_gate)
        {
            if (!_pending.TryGetValue(requestId, out batch))
            {
                _pending[requestId] = batch = new Batch();
                first = true;
            }
            batch.Seen.Add(new OfferSeen(volunteerId, channel));
        }
        if (first)
            _ = TellLaterAsync(requestId, batch);
        return batch.Told.Task;
    }

    private async Task TellLaterAsync(Guid requestId, Batch batch)
    {
        await Task.Delay(_linger).ConfigureAwait(false);
        OfferSeen[] seen;
        lock (_gate)
        {
            _pending.Remove(requestId);
            seen = [.. batch.Seen.Distinct()];
        }
        try
        {
            await _tell(requestId, seen).ConfigureAwait(false);
            batch.Told.TrySetResult();
        }
        catch (Exception e)
        {
            _log.LogWarning("Offer acknowledgements of request {RequestId} not told ({Count}; {Reason})", requestId, seen.Length, e.GetType().Name);
            batch.Told.TrySetException(e);
            _ = batch.Told.Task.Exception; // observed: the hub's callers do not wait, and the failure is logged here
        }
    }

    private sealed class Batch
    {
        public List<OfferSeen> Seen { get; } = [];

        public TaskCompletionSource Told { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
