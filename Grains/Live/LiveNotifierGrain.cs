using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Outreach.Live;

namespace Outreach.Grains.Live;

/// <summary>
/// Fans a batch out to every live web node's observer. A stateless worker, so each silo publishes locally;
/// each activation keeps the registry's list for <see cref="CacheFor"/> before asking again.
/// </summary>
[StatelessWorker]
public sealed class LiveNotifierGrain(TimeProvider clock, ILogger<LiveNotifierGrain> log) : Grain, ILiveNotifierGrain
{
    /// <summary>How long an activation trusts its copy of the registry's list.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);

    private LiveObservers? _observers;
    private DateTimeOffset _fetchedAt;

    public async Task PublishAsync(LiveBatch batch)
    {
        if (batch.IsEmpty)
            return;
        var observers = await ObserversAsync();
        foreach (var observer in observers)
        {
            try
            {
                // One-way: returns once the message is queued, so a slow or dead node holds nobody up.
                observer.OnBatchAsync(batch).Ignore();
            }
            catch (Exception e)
            {
                log.LogWarning(e, "Could not hand a live batch to a web node");
            }
        }
    }

    private async Task<ILiveObserver[]> ObserversAsync()
    {
        var now = clock.GetUtcNow();
        if (_observers is not null && now - _fetchedAt < CacheFor)
            return _observers.Observers;
        try
        {
            var fresh = await GrainFactory.GetGrain<ILiveRegistryGrain>(LiveRegistryGrain.Key).GetObserversAsync();
            if (_observers is null || _observers.Version != fresh.Version)
                log.LogDebug("Live nodes: {Count} (version {Version})", fresh.Observers.Length, fresh.Version);
            _observers = fresh;
            _fetchedAt = now;
        }
        catch (Exception e)
        {
            // Keep delivering to the nodes we knew (if any); ask again on the next batch.
            log.LogWarning(e, "Could not refresh the live nodes; using the {Count} known", _observers?.Observers.Length ?? 0);
        }
        return _observers?.Observers ?? [];
    }
}
