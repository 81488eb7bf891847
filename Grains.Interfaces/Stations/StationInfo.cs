using Outreach.Model;

namespace Outreach.Stations;

/// <summary>What a coordinator records about a station (驿站).</summary>
[GenerateSerializer, Immutable, Alias("Outreach.StationInfo")]
public sealed record StationInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] string Address,
    [property: Id(2)] GeoPoint Position,
    [property: Id(3)] double CircleRadiusM,
    [property: Id(4)] string? Phone,
    [property: Id(5)] KitStock[] Kits);
