using Outreach.Model;

namespace Outreach.Contracts;

/// <summary>A box of latitude and longitude in degrees (south ≤ north, west ≤ east; it does not cross the antimeridian).</summary>
public sealed record MapBox(double South, double West, double North, double East)
{
    public bool Contains(GeoPoint point) =>
        point.Lat >= South && point.Lat <= North && point.Lon >= West && point.Lon <= East;
}
