namespace Outreach.Model;

/// <summary>A WGS-84 position in degrees.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.GeoPoint")]
public readonly record struct GeoPoint([property: Id(0)] double Lat, [property: Id(1)] double Lon)
{
    /// <summary>Whether the point is a possible position on Earth.</summary>
    public bool IsValid => Lat is >= -90 and <= 90 && Lon is >= -180 and <= 180 && double.IsFinite(Lat) && double.IsFinite(Lon);
}
