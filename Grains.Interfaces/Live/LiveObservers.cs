namespace Outreach.Live;

/// <summary>The live web nodes' observers at one moment.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.LiveObservers")]
public sealed record LiveObservers([property: Id(0)] long Version, [property: Id(1)] ILiveObserver[] Observers);
