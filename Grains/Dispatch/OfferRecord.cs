namespace Outreach.Grains.Dispatch;

/// <summary>An offer made to one volunteer in the current round: their ETA and distance when it was made.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.OfferRecord")]
public sealed record OfferRecord(
    [property: Id(0)] double EtaMinutes,
    [property: Id(1)] double DistanceM,
    [property: Id(2)] DateTimeOffset At);
