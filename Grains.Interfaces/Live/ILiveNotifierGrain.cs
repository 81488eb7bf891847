using Orleans.Concurrency;

namespace Outreach.Live;

/// <summary>
/// Fans events out to every live web node. A stateless worker: each silo runs its own activations, so
/// publishing is a local, fire-and-forget call for the grain that has something to say.
/// </summary>
[Alias("Outreach.ILiveNotifierGrain")]
public interface ILiveNotifierGrain : IGrainWithIntegerKey
{
    /// <summary>Delivers the batch to every live web node.</summary>
    [OneWay, Alias("Publish")]
    Task PublishAsync(LiveBatch batch);
}
