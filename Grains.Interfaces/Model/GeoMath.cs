namespace Outreach.Model;

/// <summary>Distances on the Earth's surface, and positions rounded for people who may only know the neighbourhood.</summary>
public static class GeoMath
{
    /// <summary>Mean Earth radius in metres.</summary>
    public const double EarthRadiusM = 6_371_008.8;

    /// <summary>The great-circle (haversine) distance in metres.</summary>
    public static double DistanceM(GeoPoint a, GeoPoint b) => DistanceM(a, b, Math.Cos(ToRadians(b.Lat)));

    /// <summary>
    /// As <see cref="DistanceM(GeoPoint, GeoPoint)"/> with the cosine of <paramref name="b"/>'s latitude given
    /// (<paramref name="cosLatB"/>), for many distances to one place: the same result, bit for bit.
    /// </summary>
    public static double DistanceM(GeoPoint a, GeoPoint b, double cosLatB)
    {
        var dLat = ToRadians(b.Lat - a.Lat);
        var dLon = ToRadians(b.Lon - a.Lon);
        var h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
            + Math.Cos(ToRadians(a.Lat)) * cosLatB * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
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
