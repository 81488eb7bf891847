namespace Outreach.Live;

/// <summary>One live web node as the registry knows it: its id, its observer and when it last renewed.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.LiveNode")]
public sealed record LiveNode(
    [property: Id(0)] string NodeId,
    [property: Id(1)] ILiveObserver Observer,
    [property: Id(2)] DateTimeOffset LastSeen);
