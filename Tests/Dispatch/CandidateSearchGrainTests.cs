using Microsoft.Extensions.DependencyInjection;
using Outreach.Dispatch;
using Outreach.Grains.Dispatch;
using Outreach.Model;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Dispatch;

/// <summary>The candidate search as a grain (what the bench's search scenario measures) gives what a request would.</summary>
[Category(TestCategory.Grains)]
[Collection(PostgresClusterCollection.Name)]
public sealed class CandidateSearchGrainTests(PostgresClusterFixture fixture)
{
    [Fact]
    public async Task Rule_IsTheSilosDispatchOptions()
    {
        var options = new DispatchOptions();

        var rule = await fixture.Client.GetGrain<ICandidateSearchGrain>(0).GetRuleAsync();

        Assert.Equal(options.CircleMinutes, rule.CircleMinutes);
        Assert.Equal(options.DetourFactor, rule.DetourFactor);
        Assert.Equal(options.PositionMaxAge, rule.PositionMaxAge);
        Assert.Equal(options.MaxOffers, rule.MaxOffers);
        foreach (var mode in Enum.GetValues<TravelMode>())
            Assert.Equal(options.MetresPerSecond(mode) * options.CircleMinutes * 60 / options.DetourFactor, rule.ReachM(mode), 6);
    }

    [Theory]
    [InlineData(300, 6000)]   // many cells, the best from more than one
    [InlineData(40, 6000)]    // sparse: fewer than 50 qualify, every covered cell is asked
    [InlineData(400, 2500)]   // dense: the nearest cells hold 50, the cell to the north is asked with a narrowed circle
    public async Task Find_OverEntriesIndexedInSeveralCells_IsTheRankingOfAllOfThemAtOnce(int count, double radiusM)
    {
        // A place of this test's own (no other test indexes volunteers in these cells): in the middle of a cell's
        // width, 1.1 km south of its northern edge — the cell to the north is beyond the search's first wave.
        var (row, column) = GeoGrid.CellOf(new GeoPoint(-40 + Random.Shared.NextDouble() * 20, 60 + Random.Shared.NextDouble() * 20));
        var family = new GeoPoint((row + 1) * GeoGrid.CellDegrees - 90 - 1_100 / 111_195.0, (column + 0.5) * GeoGrid.CellDegrees - 180);
        Assert.True(GeoGrid.MetresAtLeast((row + 1, column), family) > CellSearch.FirstWaveM);
        var search = fixture.Client.GetGrain<ICandidateSearchGrain>(0);
        var rule = await search.GetRuleAsync();
        var now = DateTimeOffset.UtcNow;
        var random = new Random(7);
        // Volunteers spread evenly up to radiusM around (many cells), every mode, some without the skill, stale or at capacity.
        var entries = Enumerable.Range(0, count).Select(i => new CellEntry(
            Guid.NewGuid(), "v" + i, Around(family, radiusM * Math.Sqrt(random.NextDouble()), random.NextDouble() * 2 * Math.PI),
            now - (i % 10 == 0 ? rule.PositionMaxAge + TimeSpan.FromHours(1) : TimeSpan.FromMinutes(random.NextDouble() * 5)),
            i % 4 == 0 ? [HelpCategory.Meals] : [HelpCategory.Medicine, HelpCategory.Meals],
            (TravelMode)(i % 4), 2, i % 9 == 0 ? 2 : 0)).ToArray();
        Assert.True(entries.Select(e => GeoGrid.KeyOf(e.Position)).Distinct().Count() >= 2, "the volunteers should span several cells");

        await search.IndexAsync(entries);
        var found = await search.FindAsync(new CandidateQuery(family, HelpCategory.Medicine, rule.CircleMinutes, []));

        var expected = new ServiceCircle(new DispatchOptions()).Rank(entries, new CandidateQuery(family, HelpCategory.Medicine, rule.CircleMinutes, []), DateTimeOffset.UtcNow);
        Assert.Equal(Math.Min(rule.MaxOffers, expected.Length), found.Length);
        Assert.Equal(expected.Select(c => c.VolunteerId), found.Select(c => c.VolunteerId));
        var chosen = found.Select(c => entries.Single(e => e.VolunteerId == c.VolunteerId)).ToArray();
        Assert.All(chosen, e => Assert.Contains(HelpCategory.Medicine, e.Skills));
        Assert.All(chosen, e => Assert.True(now - e.PositionAt < rule.PositionMaxAge && e.Load < e.Capacity));
        Assert.True(chosen.Select(e => GeoGrid.KeyOf(e.Position)).Distinct().Count() > 1, "the best should come from more than one cell");
        Assert.Contains(chosen, e => GeoGrid.CellOf(e.Position) == (row + 1, column)); // from the second wave
        if (count == 400)
        {
            // The first wave alone (the family's cell) already held 50: the north was asked with the circle narrowed.
            var query = new CandidateQuery(family, HelpCategory.Medicine, rule.CircleMinutes, []);
            var home = entries.Where(e => GeoGrid.CellOf(e.Position) == (row, column));
            Assert.Equal(rule.MaxOffers, new ServiceCircle(new DispatchOptions()).Rank(home, query, DateTimeOffset.UtcNow).Length);
        }
        if (count == 40)
            Assert.True(found.Length < rule.MaxOffers, "the sparse case should find fewer than the limit");
        Assert.Equal(found.OrderBy(c => c.EtaMinutes).ThenBy(c => c.VolunteerId).Select(c => c.VolunteerId), found.Select(c => c.VolunteerId));
    }

    [Fact]
    public async Task Find_OverCellsActiveInThisSilo_ReadsThemInPlace_AndACellDeactivated_IsAskedByCallAndJoinsAgain()
    {
        var (family, entries) = Crowd(300, 6000);
        var search = fixture.Client.GetGrain<ICandidateSearchGrain>(0);
        var local = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<LocalCells>();
        var query = new CandidateQuery(family, HelpCategory.Medicine, new DispatchOptions().CircleMinutes, []);
        var expected = new ServiceCircle(new DispatchOptions()).Rank(entries, query, DateTimeOffset.UtcNow).Select(c => c.VolunteerId).ToArray();
        var keys = entries.Select(e => GeoGrid.KeyOf(e.Position)).Distinct().ToArray();

        await search.IndexAsync(entries); // activates every cell that holds one of them
        Assert.All(keys, key => Assert.True(local.TryGet(key, out _), $"cell {key} should be readable in place once active"));
        var inPlace = local.ReadInPlace;
        Assert.Equal(expected, (await search.FindAsync(query)).Select(c => c.VolunteerId));
        Assert.True(local.ReadInPlace - inPlace >= 2, $"{local.ReadInPlace - inPlace} cells read in place (the best come from more than one)");

        // Deactivated (idle collection): it leaves, the next search asks it by call, which activates it again.
        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.All(keys, key => Assert.False(local.TryGet(key, out _), $"cell {key} deactivated should have left"));
        var called = local.AskedByCall;
        Assert.Equal(expected, (await search.FindAsync(query)).Select(c => c.VolunteerId));
        Assert.True(local.AskedByCall - called >= 2, $"{local.AskedByCall - called} cells asked by call after the collection");
        Assert.Contains(keys, key => local.TryGet(key, out _)); // those it asked are active again, and readable in place
    }

    [Fact]
    public async Task Find_InPlace_WhileTheCellsTakeMovesAndLeavers_NeverFails_AndEndsOnTheLastState()
    {
        // Searches read the cells from other threads while the cells' own turns file moves (across buckets) and
        // removals: without the cell's lock a dictionary read during a write throws or loses entries.
        var (family, entries) = Crowd(400, 2500);
        var search = fixture.Client.GetGrain<ICandidateSearchGrain>(0);
        var query = new CandidateQuery(family, HelpCategory.Medicine, new DispatchOptions().CircleMinutes, []);
        await search.IndexAsync(entries);
        var random = new Random(11);
        var current = entries;
        using var stop = new CancellationTokenSource();
        var searched = 0;
        var searching = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var found = await search.FindAsync(query);
                Assert.InRange(found.Length, 1, new DispatchOptions().MaxOffers);
                Assert.Equal(found.OrderBy(c => c.RankMinutes).ThenBy(c => c.VolunteerId).Select(c => c.VolunteerId), found.Select(c => c.VolunteerId));
                Interlocked.Increment(ref searched);
            }
        })).ToArray();
        for (var round = 0; round < 30; round++)
        {
            // Everyone moves up to 800 m inside their cell (changing bucket); a tenth leave and come back.
            current = [.. current.Select(e => Around(e.Position, random.NextDouble() * 800, random.NextDouble() * 2 * Math.PI) is var to
                && GeoGrid.CellOf(to) == GeoGrid.CellOf(e.Position) ? e with { Position = to } : e)];
            var leavers = current.Where((_, i) => (i + round) % 10 == 0).ToArray();
            await Task.WhenAll(leavers.Select(e => fixture.Client.GetGrain<IDispatchCellGrain>(GeoGrid.KeyOf(e.Position)).RemoveAsync(e.VolunteerId)));
            await search.IndexAsync(current);
        }
        await stop.CancelAsync();
        await Task.WhenAll(searching);

        Assert.True(searched > 30, $"only {searched} searches ran beside the moves");
        var expected = new ServiceCircle(new DispatchOptions()).Rank(current, query, DateTimeOffset.UtcNow).Select(c => c.VolunteerId);
        Assert.Equal(expected, (await search.FindAsync(query)).Select(c => c.VolunteerId));
    }

    /// <summary>
    /// <paramref name="count"/> fresh volunteers with room spread up to <paramref name="radiusM"/> around a place of the test's
    /// own (no other test indexes volunteers in its cells), every mode, three in four with the skill Medicine.
    /// </summary>
    private static (GeoPoint Family, CellEntry[] Entries) Crowd(int count, double radiusM)
    {
        var family = new GeoPoint(-40 + Random.Shared.NextDouble() * 20, 60 + Random.Shared.NextDouble() * 20);
        var now = DateTimeOffset.UtcNow;
        var random = new Random(5);
        var entries = Enumerable.Range(0, count).Select(i => new CellEntry(
            Guid.NewGuid(), "v" + i, Around(family, radiusM * Math.Sqrt(random.NextDouble()), random.NextDouble() * 2 * Math.PI),
            now - TimeSpan.FromMinutes(random.NextDouble() * 3),
            i % 4 == 0 ? [HelpCategory.Meals] : [HelpCategory.Medicine, HelpCategory.Meals],
            (TravelMode)(i % 4), 2, 0)).ToArray();
        return (family, entries);
    }

    private static GeoPoint Around(GeoPoint centre, double metres, double bearing) => new(
        centre.Lat + metres * Math.Cos(bearing) / 111_195.0,
        centre.Lon + metres * Math.Sin(bearing) / (111_195.0 * Math.Cos(centre.Lat * Math.PI / 180)));
}
