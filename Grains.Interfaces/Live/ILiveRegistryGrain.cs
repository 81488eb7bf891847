namespace Outreach.Live;

/// <summary>
/// The web nodes currently listening; key <c>live</c>. Nodes re-subscribe periodically; a node that stops
/// doing so (crashed) expires.
/// </summary>
[Alias("Outreach.ILiveRegistryGrain")]
public interface ILiveRegistryGrain : IGrainWithStringKey
{
    /// <summary>Adds or refreshes a web node's observer.</summary>
    [Alias("Subscribe")]
    Task SubscribeAsync(string nodeId, ILiveObserver observer);

    /// <summary>
    /// Adds or refreshes a web node's observer: whether the registry already listed the node with this observer
    /// (not after the registry was re-activated, e.g. its silo died, or the node had expired), and whether a session
    /// revocation missed the node since its last renewal (<see cref="MissedRevocationAsync"/>; told once).
    /// </summary>
    [Alias("Renew")]
    Task<LiveRenewal> RenewAsync(string nodeId, ILiveObserver observer);

    /// <summary>
    /// An account grain could not hand these nodes' observers a session revocation (no answer in time): each is told
    /// at its next renewal, and forgets every account it knew.
    /// </summary>
    [Alias("MissedRevocation")]
    Task MissedRevocationAsync(ILiveObserver[] observers);

    /// <summary>The listed nodes with when each last renewed, and the recently unsubscribed ones.</summary>
    [Alias("GetNodes")]
    Task<LiveNodeList> GetNodesAsync();

    /// <summary>Removes a web node's observer (orderly shutdown).</summary>
    [Alias("Unsubscribe")]
    Task UnsubscribeAsync(string nodeId);

    /// <summary>The observers of the live web nodes, and a version that changes whenever the set does.</summary>
    [Alias("GetObservers")]
    Task<LiveObservers> GetObserversAsync();
}
