using Outreach.Grains.Dispatch;
using Outreach.Model;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

[Category(TestCategory.Unit)]
public sealed class GeoTests
{
    [Fact]
    public void DistanceM_MatchesAKnownDistance()
    {
        // One degree of latitude is about 111.2 km everywhere.
        Assert.Equal(111_195, GeoMath.DistanceM(new GeoPoint(35, 115), new GeoPoint(36, 115)), 0);
        Assert.Equal(0, GeoMath.DistanceM(new GeoPoint(35.7, 115.0), new GeoPoint(35.7, 115.0)));
    }

    [Fact]
    public void DistanceM_WithTheSecondPlacesCosineGiven_IsTheSameBitForBit()
    {
        // The candidate search computes the request's cosine once and ranks thousands against it: any difference
        // would move a rounded ETA and change who is offered.
        var random = new Random(3);
        for (var i = 0; i < 10_000; i++)
        {
            var a = new GeoPoint(-89 + random.NextDouble() * 178, -180 + random.NextDouble() * 360);
            var b = i % 2 == 0 ? new GeoPoint(a.Lat + random.NextDouble() * 0.1 - 0.05, a.Lon + random.NextDouble() * 0.1 - 0.05)
                : new GeoPoint(-89 + random.NextDouble() * 178, -180 + random.NextDouble() * 360);
            var cos = Math.Cos(GeoMath.ToRadians(b.Lat));
            Assert.Equal(BitConverter.DoubleToInt64Bits(GeoMath.DistanceM(a, b)), BitConverter.DoubleToInt64Bits(GeoMath.DistanceM(a, b, cos)));
        }
    }

    [Theory]
    [InlineData(35.76123, 115.03087)]
    [InlineData(-33.8688, 151.2093)]
    [InlineData(35.0009, 114.9991)]
    public void Approximate_MovesAPointLessThan200Metres_ToAFixedGrid(double lat, double lon)
    {
        var point = new GeoPoint(lat, lon);

        var approx = GeoMath.Approximate(point);

        Assert.InRange(GeoMath.DistanceM(point, approx), 0, 160);
        Assert.Equal(approx, GeoMath.Approximate(new GeoPoint(approx.Lat + 0.0004, approx.Lon - 0.0004)));
    }

    [Fact]
    public void CellsCovering_IncludesEveryCellAPointOfTheCircleCanBeIn()
    {
        var center = new GeoPoint(35.749, 115.049); // near a cell corner
        const double radius = 4800;
        var cells = GeoGrid.CellsCovering(center, radius).ToHashSet();

        for (var bearing = 0; bearing < 360; bearing += 10)
        {
            var rad = bearing * Math.PI / 180;
            var edge = new GeoPoint(
                center.Lat + radius * 0.999 * Math.Cos(rad) / 111_195,
                center.Lon + radius * 0.999 * Math.Sin(rad) / (111_195 * Math.Cos(center.Lat * Math.PI / 180)));
            Assert.Contains(GeoGrid.CellOf(edge), cells);
        }
        Assert.Contains(GeoGrid.CellOf(center), cells);
        Assert.InRange(cells.Count, 4, 16);
    }

    [Fact]
    public void KeyOf_NeverStartsWithAHexDigit()
    {
        // Storage trap: string keys that parse as hex are stored as numbers.
        Assert.StartsWith("geo/", GeoGrid.KeyOf(new GeoPoint(35.76, 115.03)), StringComparison.Ordinal);
    }
}
