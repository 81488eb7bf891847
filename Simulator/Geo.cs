namespace Outreach.Simulator;

/// <summary>A position and the little geometry the simulator needs.</summary>
internal readonly record struct Spot(double Lat, double Lon)
{
    private const double MetresPerDegree = 111_195.0;

    /// <summary>This spot moved <paramref name="north"/> and <paramref name="east"/> metres.</summary>
    public Spot Offset(double north, double east) =>
        new(Lat + north / MetresPerDegree, Lon + east / (MetresPerDegree * Math.Cos(Lat * Math.PI / 180)));

    /// <summary>Approximate distance in metres (fine over a city).</summary>
    public double DistanceTo(Spot other)
    {
        var north = (other.Lat - Lat) * MetresPerDegree;
        var east = (other.Lon - Lon) * MetresPerDegree * Math.Cos(Lat * Math.PI / 180);
        return Math.Sqrt(north * north + east * east);
    }

    /// <summary>At most <paramref name="metres"/> towards <paramref name="target"/>.</summary>
    public Spot Towards(Spot target, double metres)
    {
        var distance = DistanceTo(target);
        if (distance <= metres)
            return target;
        var f = metres / distance;
        return new Spot(Lat + (target.Lat - Lat) * f, Lon + (target.Lon - Lon) * f);
    }
}
