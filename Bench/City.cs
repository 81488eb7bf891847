using Outreach.Model;

namespace Outreach.Bench;

/// <summary>The city-sized box the bench plays in (about 33 km by 27 km around Puyang) and its random places.</summary>
public sealed class City(int seed)
{
    public const double South = 35.60, North = 35.90, West = 114.90, East = 115.20;

    /// <summary>Where the claim racers stand: the middle of the box.</summary>
    public static readonly GeoPoint RaceSpot = new(35.75, 115.05);

    /// <summary>The skills of the general population: every category but <see cref="HelpCategory.Other"/>, which only the racers have.</summary>
    public static readonly HelpCategory[] LoadCategories = [.. Enum.GetValues<HelpCategory>().Where(c => c != HelpCategory.Other)];

    private readonly Random _random = new(seed);

    /// <summary>A uniformly random place in the box.</summary>
    public GeoPoint AnyPlace()
    {
        lock (_random)
            return new GeoPoint(South + _random.NextDouble() * (North - South), West + _random.NextDouble() * (East - West));
    }

    /// <summary>A place within about <paramref name="metres"/> of <paramref name="centre"/>.</summary>
    public GeoPoint Near(GeoPoint centre, double metres)
    {
        lock (_random)
        {
            var north = (_random.NextDouble() * 2 - 1) * metres;
            var east = (_random.NextDouble() * 2 - 1) * metres;
            return new GeoPoint(centre.Lat + north / 111_195.0, centre.Lon + east / (111_195.0 * Math.Cos(centre.Lat * Math.PI / 180)));
        }
    }

    /// <summary>1 to 3 distinct skills of the general population.</summary>
    public HelpCategory[] SomeSkills()
    {
        lock (_random)
        {
            var count = _random.Next(1, 4);
            return [.. LoadCategories.OrderBy(_ => _random.Next()).Take(count)];
        }
    }

    public TravelMode AnyTravelMode()
    {
        lock (_random)
            return (TravelMode)_random.Next(0, 4);
    }

    public HelpCategory AnyLoadCategory()
    {
        lock (_random)
            return LoadCategories[_random.Next(LoadCategories.Length)];
    }

    public double NextDouble()
    {
        lock (_random)
            return _random.NextDouble();
    }

    public int Next(int min, int max)
    {
        lock (_random)
            return _random.Next(min, max);
    }
}
