using Outreach.Dispatch;
using Outreach.Grains.Dispatch;
using Outreach.Model;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary>
/// Fatigue-aware ranking (<see cref="ServiceCircle"/>): ties and near ties go to who served less in the last 7 days;
/// nobody is put behind someone more than the margin (2 min) farther away.
/// </summary>
[Category(TestCategory.Unit)]
public sealed class FatigueRankingTests
{
    private static readonly DispatchOptions Options = new(); // margin 2 min, whole margin from 120 min served, 7 days
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private static readonly GeoPoint Family = new(35.7600, 115.0300);
    private static readonly ServiceCircle Circle = new(Options);

    /// <summary>Metres on foot for <paramref name="minutes"/> of ETA.</summary>
    private static double WalkMetres(double minutes) => minutes * 60 * (4.5 / 3.6) / 1.3;

    private static CellEntry Entry(double etaMinutes, params (double DaysAgo, double Minutes)[] served) =>
        new(Guid.NewGuid(), "v", new GeoPoint(Family.Lat + WalkMetres(etaMinutes) / 111_195.0, Family.Lon), Now.AddMinutes(-1),
            [HelpCategory.Medicine], TravelMode.Walk, Capacity: 1, Load: 0,
            served.Length == 0 ? null : [.. served.Select(s => new ServiceCredit(Now.AddDays(-s.DaysAgo), s.Minutes))]);

    private static Guid[] Ranked(params CellEntry[] entries) =>
        [.. Circle.Rank(entries, new CandidateQuery(Family, HelpCategory.Medicine, 15, []), Now).Select(c => c.VolunteerId)];

    [Fact]
    public void EqualEta_WhoServedLessComesFirst()
    {
        var busy = Entry(5, (1, 30));
        var fresh = Entry(5);
        var busier = Entry(5, (2, 60), (0.5, 30));

        Assert.Equal([fresh.VolunteerId, busy.VolunteerId, busier.VolunteerId], Ranked(busier, busy, fresh));
    }

    [Fact]
    public void WithinTheMargin_OneWhoServedLittleComesBeforeANearerOneWhoServedALot()
    {
        var nearButTired = Entry(5, (1, 90), (3, 60)); // 150 min this week: the whole 2 min
        var fartherFresh = Entry(6.5);

        Assert.Equal([fartherFresh.VolunteerId, nearButTired.VolunteerId], Ranked(nearButTired, fartherFresh));
    }

    [Fact]
    public void BeyondTheMargin_TheNearerComesFirstHoweverMuchTheyServed()
    {
        var nearButTired = Entry(5, (1, 600));
        var farFresh = Entry(7.2);

        Assert.Equal([nearButTired.VolunteerId, farFresh.VolunteerId], Ranked(nearButTired, farFresh));
    }

    [Fact]
    public void TheMargin_GrowsWithServiceUpToTheFullMinutes()
    {
        Assert.Equal(0, Circle.Fatigue(0));
        Assert.Equal(0.5, Circle.Fatigue(30), 6);
        Assert.Equal(1, Circle.Fatigue(60), 6);
        Assert.Equal(2, Circle.Fatigue(120), 6);
        Assert.Equal(2, Circle.Fatigue(1000), 6);
        // 30 min served ranks as 0.5 min farther: ahead of a fresh volunteer 0.6 min farther, behind one 0.4 min farther.
        var served = Entry(5, (1, 30));
        var (behind, ahead) = (Entry(5.6), Entry(5.4));
        Assert.Equal([ahead.VolunteerId, served.VolunteerId, behind.VolunteerId], Ranked(behind, served, ahead));
    }

    [Fact]
    public void ServiceOlderThanTheWindow_DoesNotCount()
    {
        var longAgo = Entry(5, (7.01, 600), (30, 600));
        var lately = Entry(5, (6.9, 10));

        Assert.Equal(0, Circle.ServedMinutes(longAgo.RecentService, Now));
        Assert.Equal(10, Circle.ServedMinutes(lately.RecentService, Now));
        Assert.Equal([longAgo.VolunteerId, lately.VolunteerId], Ranked(lately, longAgo));
    }

    [Fact]
    public void WithoutRecentService_TheOrderIsPlainEta_AndAZeroMarginOnlyBreaksTies()
    {
        var (a, b, c) = (Entry(3), Entry(4), Entry(8));
        Assert.Equal([a.VolunteerId, b.VolunteerId, c.VolunteerId], Ranked(c, a, b));

        var noMargin = new ServiceCircle(new DispatchOptions { FatigueMarginMinutes = 0 });
        var (tired, fresh, farther) = (Entry(5, (1, 600)), Entry(5), Entry(5.5));
        var ranked = noMargin.Rank([farther, tired, fresh], new CandidateQuery(Family, HelpCategory.Medicine, 15, []), Now);
        Assert.Equal([fresh.VolunteerId, tired.VolunteerId, farther.VolunteerId], ranked.Select(x => x.VolunteerId));
    }

    [Theory]
    [InlineData(1, 60)]
    [InlineData(2, 600)]
    [InlineData(3, 4000)]
    public void Rank_OfACrowdWithRecentService_IsTheBestFiftyOfAFullSortByTheRule(int seed, int count)
    {
        var random = new Random(seed);
        var entries = Enumerable.Range(0, count).Select(_ => Entry(random.NextDouble() * 16,
            [.. Enumerable.Range(0, random.Next(0, 4)).Select(_ => (random.NextDouble() * 9, random.NextDouble() * 90))])).ToArray();

        // The rule written the slow way: served minutes in the window, ETA + margin × min(1, served / 120), sorted.
        var expected = entries
            .Select(e =>
            {
                var exact = Circle.Estimate(e.Position, Family, TravelMode.Walk).EtaMinutes;
                var eta = Math.Round(exact, 2);
                var served = (e.RecentService ?? []).Where(s => s.At > Now.AddDays(-7)).Sum(s => s.Minutes);
                return (e.VolunteerId, Exact: exact, Eta: eta, Served: served, Rank: eta + Math.Round(2 * Math.Min(1, served / 120), 2));
            })
            .Where(c => c.Exact <= 15)
            .OrderBy(c => c.Rank).ThenBy(c => c.Served).ThenBy(c => c.Eta).ThenBy(c => c.VolunteerId)
            .Take(Options.MaxOffers)
            .Select(c => c.VolunteerId);

        var ranked = Circle.Rank(entries, new CandidateQuery(Family, HelpCategory.Medicine, 15, []), Now);

        Assert.Equal(expected, ranked.Select(c => c.VolunteerId));
        // Nobody is ranked after someone more than the margin farther away.
        Assert.All(ranked.Zip(ranked.Skip(1)), p => Assert.True(p.First.EtaMinutes <= p.Second.EtaMinutes + Options.FatigueMarginMinutes));
    }

    [Fact]
    public void Merge_AcrossCells_FollowsTheSameRule()
    {
        Candidate C(double eta, double served) =>
            new(Guid.NewGuid(), "v", eta, eta * 100, TravelMode.Walk, served, Circle.Fatigue(served));
        var (tired, fresh, tie, far) = (C(4, 200), C(5, 0), C(5, 10), C(9, 0));

        var merged = ServiceCircle.Merge([[tired, far], [tie, fresh]], limit: 3);

        Assert.Equal([fresh.VolunteerId, tie.VolunteerId, tired.VolunteerId], merged.Select(c => c.VolunteerId));
    }
}
