namespace Outreach.Live;

/// <summary>
/// The registry's view for the silos' caches: the nodes it lists, and the nodes that left in an orderly way
/// (unsubscribed) recently, which a cache drops at once instead of waiting for them to expire.
/// </summary>
[GenerateSerializer, Immutable, Alias("Outreach.LiveNodeList")]
public sealed record LiveNodeList(
    [property: Id(0)] LiveNode[] Nodes,
    [property: Id(1)] string[] Departed,
    [property: Id(2)] TimeSpan NodeExpiry);
