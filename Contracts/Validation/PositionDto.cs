using System.ComponentModel.DataAnnotations;
using Outreach.Model;

namespace Outreach.Contracts;

/// <summary>A WGS-84 position as the API reads and writes it.</summary>
public sealed record PositionDto(
    [Range(-90.0, 90.0)] double Lat,
    [Range(-180.0, 180.0)] double Lon)
{
    public GeoPoint ToGeoPoint() => new(Lat, Lon);

    public static PositionDto From(GeoPoint point) => new(point.Lat, point.Lon);
}
