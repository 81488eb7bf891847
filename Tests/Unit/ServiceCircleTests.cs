using Outreach.Dispatch;
using Outreach.Grains.Dispatch;
using Outreach.Model;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

[Category(TestCategory.Unit)]
public sealed class ServiceCircleTests
{
    private static readonly DispatchOptions Options = new();
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private static readonly GeoPoint Family = new(35.7600, 115.0300);

    /// <summary>A point <paramref name="north"/> metres due north of the family.</summary>
    private static GeoPoint North(double north) => new(Family.Lat + north / 111_195.0, Family.Lon);

    private static CellEntry Entry(double north, TravelMode mode = TravelMode.Walk, HelpCategory[]? skills = null,
        int capacity = 1, int load = 0, TimeSpan? age = null) =>
        new(Guid.NewGuid(), "v", North(north), Now - (age ?? TimeSpan.FromMinutes(1)), skills ?? [HelpCategory.Medicine], mode, capacity, load);

    private static CandidateQuery Query(params Guid[] excluded) => new(Family, HelpCategory.Medicine, 15, excluded);

    [Theory]
    [InlineData(TravelMode.Walk, 4.5)]
    [InlineData(TravelMode.Bike, 12)]
    [InlineData(TravelMode.EBike, 18)]
    [InlineData(TravelMode.Car, 25)]
    public void Estimate_IsDistanceTimesDetourOverSpeed(TravelMode mode, double kmh)
    {
        var (eta, distance) = new ServiceCircle(Options).Estimate(North(1000), Family, mode);

        Assert.Equal(1000, distance, 1);
        Assert.Equal(1000 * 1.3 / (kmh / 3.6) / 60, eta, 3);
    }

    [Fact]
    public void Rank_KeepsOnlyTheEligible_RankedByEta()
    {
        var walkerNear = Entry(300);
        var eBikeFar = Entry(2000, TravelMode.EBike);
        var walkerMid = Entry(600);                               // on foot: 10.4 min, after the e-bike at 2 km (8.7 min)
        var entries = new[]
        {
            eBikeFar, walkerMid, walkerNear,
            Entry(200, skills: [HelpCategory.Meals]),             // wrong skill
            Entry(1500),                                          // on foot: 26 min
            Entry(250, capacity: 2, load: 2),                     // at capacity
            Entry(150, age: TimeSpan.FromMinutes(11)),            // stale position
        };

        var ranked = new ServiceCircle(Options).Rank(entries, Query(), Now);

        Assert.Equal([walkerNear.VolunteerId, eBikeFar.VolunteerId, walkerMid.VolunteerId], ranked.Select(c => c.VolunteerId));
        Assert.True(ranked.Zip(ranked.Skip(1)).All(p => p.First.EtaMinutes <= p.Second.EtaMinutes));
    }

    [Fact]
    public void Rank_LeavesOutExcludedVolunteers_AndCanIgnoreCapacity()
    {
        var released = Entry(100);
        var busy = Entry(200, load: 1);
        var circle = new ServiceCircle(Options);

        var ranked = circle.Rank([released, busy], Query(released.VolunteerId), Now);
        var forAssignment = circle.Rank([released, busy], Query(released.VolunteerId) with { IgnoreCapacity = true }, Now);

        Assert.Empty(ranked);
        Assert.Equal(busy.VolunteerId, Assert.Single(forAssignment).VolunteerId);
    }

    [Fact]
    public void Rank_EdgeOfTheCircle_FifteenMinutesIsIn()
    {
        var metresIn15 = 15 * 60 * (4.5 / 3.6) / 1.3;
        var inside = Entry(metresIn15 - 5);
        var outside = Entry(metresIn15 + 5);

        var ranked = new ServiceCircle(Options).Rank([inside, outside], Query(), Now);

        Assert.Equal(inside.VolunteerId, Assert.Single(ranked).VolunteerId);
    }

    [Theory]
    [InlineData(1, 40)]
    [InlineData(2, 400)]
    [InlineData(3, 4000)]
    public void Rank_OfACrowd_IsTheBestFiftyOfAFullSort(int seed, int count)
    {
        var random = new Random(seed);
        var modes = Enum.GetValues<TravelMode>();
        var entries = Enumerable.Range(0, count).Select(_ => new CellEntry(
            Guid.NewGuid(), "v",
            new GeoPoint(Family.Lat + (random.NextDouble() - 0.5) * 0.1, Family.Lon + (random.NextDouble() - 0.5) * 0.1),
            Now - TimeSpan.FromMinutes(random.Next(0, 12)),
            random.Next(3) == 0 ? [HelpCategory.Meals] : [HelpCategory.Medicine, HelpCategory.Meals],
            modes[random.Next(modes.Length)], Capacity: 2, Load: random.Next(0, 3))).ToArray();
        var circle = new ServiceCircle(Options);
        var query = Query(entries[0].VolunteerId, entries[1].VolunteerId);

        // The definition, written the slow way: every entry checked, all survivors sorted, the first fifty kept.
        var expected = entries
            .Where(e => !query.Excluded.Contains(e.VolunteerId) && e.Skills.Contains(query.Skill)
                && Now - e.PositionAt <= Options.PositionMaxAge && e.Load < e.Capacity)
            .Select(e => (e.VolunteerId, Eta: circle.Estimate(e.Position, Family, e.TravelMode).EtaMinutes))
            .Where(c => c.Eta <= query.CircleMinutes)
            .OrderBy(c => Math.Round(c.Eta, 2)).ThenBy(c => c.VolunteerId)
            .Take(Options.MaxOffers)
            .Select(c => c.VolunteerId);

        var ranked = circle.Rank(entries, query, Now);

        Assert.NotEmpty(ranked);
        Assert.Equal(expected, ranked.Select(c => c.VolunteerId));
    }

    [Fact]
    public void Merge_TakesTheBestAcrossCells_UpToTheLimit()
    {
        Candidate C(double eta) => new(Guid.NewGuid(), "v", eta, eta * 100, TravelMode.Walk);
        var merged = ServiceCircle.Merge([[C(3), C(9)], [C(1), C(7)], []], limit: 3);

        Assert.Equal([1.0, 3.0, 7.0], merged.Select(c => c.EtaMinutes));
    }

    [Fact]
    public void ReachM_IsWhatTheFastestModeCoversInTheCircle()
    {
        Assert.Equal(25 / 3.6 * 15 * 60 / 1.3, new ServiceCircle(Options).ReachM(15), 6);
    }
}
