namespace Outreach.Stations;

/// <summary>A kind of kit a station keeps (emergency kit, blood-pressure meter) and how many are on hand.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.KitStock")]
public sealed record KitStock([property: Id(0)] string Name, [property: Id(1)] int Quantity);
