using Orleans.Concurrency;
using Outreach.Live;

namespace Outreach.Grains.Live;

/// <summary>
/// Hands a batch to this silo's <see cref="LiveNodes"/>, which delivers it to every live web node. A stateless
/// worker, so each silo publishes locally; it never waits for another grain (not even the registry), so a dead
/// silo elsewhere holds no publisher up. Only callers outside the silo use it (the live tests): the grains in it (a
/// volunteer's report, a request's change) publish on <see cref="LiveNodes"/> directly, without a grain call each.
/// </summary>
[StatelessWorker]
public sealed class LiveNotifierGrain(LiveNodes nodes) : Grain, ILiveNotifierGrain
{
    public Task PublishAsync(LiveBatch batch)
    {
        if (!batch.IsEmpty)
            nodes.Publish(batch);
        return Task.CompletedTask;
    }
}
