using Orleans.Concurrency;

namespace Outreach.Live;

/// <summary>
/// Fans events out to every live web node, for a caller outside the silos (the live tests publish through it). The
/// grains in a silo do not call it: they hand their events to the silo's delivery directly. A stateless worker: the
/// call is one-way and answered by the silo it reaches.
/// </summary>
[Alias("Outreach.ILiveNotifierGrain")]
public interface ILiveNotifierGrain : IGrainWithIntegerKey
{
    /// <summary>Delivers the batch to every live web node.</summary>
    [OneWay, Alias("Publish")]
    Task PublishAsync(LiveBatch batch);
}
