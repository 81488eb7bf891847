using Orleans.Concurrency;

namespace Outreach.Live;

/// <summary>A web node's receiver of live events; the node relays them to its SignalR connections.</summary>
[Alias("Outreach.ILiveObserver")]
public interface ILiveObserver : IGrainObserver
{
    /// <summary>Takes a batch of events; fire-and-forget, so a slow or dead node never holds up a grain.</summary>
    [OneWay, Alias("OnBatch")]
    Task OnBatchAsync(LiveBatch batch);
}
