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

    /// <summary>The keys of every cell that a circle of <paramref name="radiusM"/> around <paramref name="center"/> touches.</summary>
    public static IReadOnlyList<string> KeysCovering(GeoPoint center, double radiusM)
    {
        var dLat = radiusM / GeoMath.EarthRadiusM * 180 / Math.PI;
        var cosLat = Math.Max(0.01, Math.Cos(GeoMath.ToRadians(Math.Min(89, Math.Abs(center.Lat) + dLat))));
        var dLon = Math.Min(180, dLat / cosLat);
        var (minRow, minColumn) = CellOf(new GeoPoint(Math.Max(-90, center.Lat - dLat), Math.Max(-180, center.Lon - dLon)));
        var (maxRow, maxColumn) = CellOf(new GeoPoint(Math.Min(89.999999, center.Lat + dLat), Math.Min(179.999999, center.Lon + dLon)));
        var keys = new List<string>((maxRow - minRow + 1) * (maxColumn - minColumn + 1));
        for (var row = minRow; row <= maxRow; row++)
        {
            for (var column = minColumn; column <= maxColumn; column++)
                keys.Add(KeyOf((row, column)));
        }
        return keys;
    }
}
