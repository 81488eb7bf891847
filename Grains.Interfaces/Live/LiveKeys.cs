using Outreach.Cluster;

namespace Outreach.Live;

/// <summary>The keys of the live path's grains, and the grains they name, for every caller (grains, web, tests, tools).</summary>
public static class LiveKeys
{
    /// <summary>The key of the one <see cref="ILiveRegistryGrain"/>.</summary>
    public const string Registry = "live";

    /// <summary>The key of <see cref="ILiveNotifierGrain"/> (a stateless worker: every silo has its own activations).</summary>
    public const long Notifier = 0;

    /// <summary>The registry of the web nodes listening.</summary>
    public static ILiveRegistryGrain LiveRegistry(this IGrainFactory grains) => grains.Get<ILiveRegistryGrain>(Registry);

    /// <summary>The notifier grains hand their events to.</summary>
    public static ILiveNotifierGrain LiveNotifier(this IGrainFactory grains) => grains.Get<ILiveNotifierGrain>(Notifier);
}
