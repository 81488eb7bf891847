namespace Outreach.Model;

/// <summary>Distances on the Earth's surface, and positions rounded for people who may only know the neighbourhood.</summary>
public static class GeoMath
{
    /// <summary>Mean Earth radius in metres.</summary>
    public const double EarthRadiusM = 6_371_008.8;

    /// <summary>The great-circle (haversine) distance in metres.</summary>
    public static double DistanceM(GeoPoint a, GeoPoint b)
    {
        var dLat = ToRadians(b.Lat - a.Lat);
        var dLon = ToRadians(b.Lon - a.Lon);
        var h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
            + Math.Cos(ToRadians(a.Lat)) * Math.Cos(ToRadians(b.Lat)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusM * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    /// <summary>
    /// The position rounded to a grid of about 200 m, so a volunteer who has not claimed a request learns
    /// the neighbourhood, not the door.
    /// </summary>
    public static GeoPoint Approximate(GeoPoint point)
    {
        const double step = 0.002; // ≈ 222 m of latitude, ≈ 180 m of longitude at 35°N
        return new GeoPoint(Math.Round(Math.Round(point.Lat / step) * step, 4), Math.Round(Math.Round(point.Lon / step) * step, 4));
    }

    public static double ToRadians(double degrees) => degrees * Math.PI / 180;
}
