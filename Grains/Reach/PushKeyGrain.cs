using Orleans.Concurrency;
using Outreach.Reach;

namespace Outreach.Grains.Reach;

/// <summary>Hands out the VAPID public key (<see cref="VapidKeys"/>); a stateless worker on every silo.</summary>
[StatelessWorker]
public sealed class PushKeyGrain(VapidKeys keys) : Grain, IPushKeyGrain
{
    public async Task<string> GetPublicKeyAsync() => (await keys.GetAsync()).PublicKey;
}
