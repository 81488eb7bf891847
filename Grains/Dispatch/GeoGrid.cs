using Outreach.Model;
using Outreach.Dispatch;

namespace Outreach.Grains.Dispatch;

/// <summary>
/// The fixed grid of dispatch cells: 0.05° of latitude by 0.05° of longitude (about 5.6 km by 4.5 km at
/// 35°N). A 15-minute circle by car (≈ 4.8 km) covers at most 3 × 4 cells; walkers' circles one or four.
/// </summary>
public static class GeoGrid
{
    /// <summary>The cell size in degrees.</summary>
    public const double CellDegrees = 0.05;

    /// <summary>The cell that contains the point.</summary>
    public static (int Row, int Column) CellOf(GeoPoint point) =>
        ((int)Math.Floor((point.Lat + 90) / CellDegrees), (int)Math.Floor((point.Lon + 180) / CellDegrees));

    /// <summary>The grain key of the cell that contains the point.</summary>
    public static string KeyOf(GeoPoint point) => KeyOf(CellOf(point));

    /// <summary>The grain key of a cell.</summary>
    public static string KeyOf((int Row, int Column) cell) => DispatchCellKeys.Of(cell.Row, cell.Column);

    /// <summary>Every cell that a circle of <paramref name="radiusM"/> around <paramref name="center"/> touches.</summary>
    public static IReadOnlyList<(int Row, int Column)> CellsCovering(GeoPoint center, double radiusM)
    {
        var dLat = radiusM / GeoMath.EarthRadiusM * 180 / Math.PI;
        var cosLat = Math.Max(0.01, Math.Cos(GeoMath.ToRadians(Math.Min(89, Math.Abs(center.Lat) + dLat))));
        var dLon = Math.Min(180, dLat / cosLat);
        var (minRow, minColumn) = CellOf(new GeoPoint(Math.Max(-90, center.Lat - dLat), Math.Max(-180, center.Lon - dLon)));
        var (maxRow, maxColumn) = CellOf(new GeoPoint(Math.Min(89.999999, center.Lat + dLat), Math.Min(179.999999, center.Lon + dLon)));
        var cells = new List<(int, int)>((maxRow - minRow + 1) * (maxColumn - minColumn + 1));
        for (var row = minRow; row <= maxRow; row++)
        {
            for (var column = minColumn; column <= maxColumn; column++)
                cells.Add((row, column));
        }
        return cells;
    }

    /// <summary>A lower bound of the distance in metres from any point of the cell to <paramref name="to"/>.</summary>
    public static double MetresAtLeast((int Row, int Column) cell, GeoPoint to) =>
        MetresAtLeast(to, Math.Cos(GeoMath.ToRadians(to.Lat)), cell.Row * CellDegrees - 90, cell.Column * CellDegrees - 180,
            CellDegrees, CosPoleward(cell.Row * CellDegrees - 90, CellDegrees));

    /// <summary>The smaller cosine of the latitudes of a band's two edges (what its east–west distances shrink by at most).</summary>
    public static double CosPoleward(double south, double side) =>
        Math.Max(0, Math.Min(Math.Cos(GeoMath.ToRadians(south)), Math.Cos(GeoMath.ToRadians(south + side))));

    /// <summary>
    /// A lower bound of the haversine distance in metres from any point of the square [south, south + side] ×
    /// [west, west + side] (degrees) to <paramref name="to"/>, without trigonometry: the latitude and longitude
    /// differences are at least those to the square's nearest edge, the cosine product at least
    /// <paramref name="cosToLat"/> × <paramref name="cosPoleward"/>, and sin x ≥ x (1 − x²/6) keeps the flat form within
    /// 10⁻⁴ below the haversine up to 100 km (beyond any circle, where an over-estimate cannot drop a candidate).
    /// </summary>
    public static double MetresAtLeast(GeoPoint to, double cosToLat, double south, double west, double side, double cosPoleward)
    {
        var north = south + side;
        var east = west + side;
        var dLat = to.Lat < south ? south - to.Lat : to.Lat > north ? to.Lat - north : 0;
        var dLon = to.Lon < west ? west - to.Lon : to.Lon > east ? to.Lon - east : 0;
        if (dLat == 0 && dLon == 0)
            return 0;
        var lat = GeoMath.ToRadians(dLat);
        var lon = GeoMath.ToRadians(dLon);
        return GeoMath.EarthRadiusM * Math.Sqrt(lat * lat + cosToLat * cosPoleward * lon * lon) * (1 - 1e-4);
    }
}
