namespace Outreach.Grains.Dispatch;

/// <summary>
/// An offer made to one volunteer in the current round: their ETA and distance when it was made. A value, not an
/// object: an open request keeps fifty of them for as long as it waits, and every collection of the silo marks and
/// copies what the open requests keep (docs/PERF.md, session 27).
/// </summary>
[GenerateSerializer, Immutable, Alias("Outreach.OfferRecord")]
public readonly record struct OfferRecord(
    [property: Id(0)] double EtaMinutes,
    [property: Id(1)] double DistanceM,
    [property: Id(2)] DateTimeOffset At);
