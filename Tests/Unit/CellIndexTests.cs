using Outreach.Dispatch;
using Outreach.Grains.Dispatch;
using Outreach.Model;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary>
/// The cell's index answers exactly what ranking every entry answers, and in a dense cell looks at about the nearest
/// few buckets' entries, not everyone's.
/// </summary>
[Category(TestCategory.Unit)]
public sealed class CellIndexTests
{
    private static readonly DispatchOptions Options = new();
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
    private static readonly ServiceCircle Circle = new(Options);

    // One dispatch cell at 35.75–35.80°N, 115.00–115.05°E.
    private const double South = 35.75, West = 115.00, Side = GeoGrid.CellDegrees;

    [Theory]
    [InlineData(1, 40)]
    [InlineData(2, 400)]
    [InlineData(3, 4000)]
    public void Find_AnswersWhatRankingEveryEntryAnswers(int seed, int population)
    {
        var random = new Random(seed);
        var entries = Population(random, population);
        var index = new CellIndex();
        foreach (var entry in entries)
            index.Put(entry);
        // Moves, skill changes and volunteers going off duty, as reports and changes arrive.
        foreach (var entry in entries.Where((_, i) => i % 7 == 0))
            index.Put(entry with { Position = Somewhere(random, margin: 0.02), Skills = Skills(random) });
        foreach (var entry in entries.Where((_, i) => i % 11 == 0))
            index.Remove(entry.VolunteerId);
        var remaining = index.Entries.Values.ToArray();

        for (var q = 0; q < 300; q++)
        {
            var excluded = remaining.Length == 0 || q % 3 != 0 ? [] : new[] { remaining[random.Next(remaining.Length)].VolunteerId };
            var query = new CandidateQuery(Somewhere(random, margin: 0.06), (HelpCategory)random.Next(8),
                q % 5 == 0 ? 8 : 15, excluded, IgnoreCapacity: q % 4 == 0);

            var found = index.Find(Circle, query, Now);
            var everyone = Circle.Rank(remaining, query, Now);

            Assert.Equal(everyone, found);
        }
    }

    [Fact]
    public void Find_InADenseCell_LooksAtTheNearestBuckets_NotEveryoneWithTheSkill()
    {
        var random = new Random(7);
        var index = new CellIndex();
        var entries = Population(random, 20_000);
        foreach (var entry in entries)
            index.Put(entry);
        var query = new CandidateQuery(new GeoPoint(South + Side / 2, West + Side / 2), HelpCategory.Medicine, 15, []);
        var withSkill = entries.Count(e => e.Skills.Contains(HelpCategory.Medicine));

        var found = index.Find(Circle, query, Now, out var considered);

        Assert.Equal(Options.MaxOffers, found.Length);
        Assert.Equal(Circle.Rank(entries, query, Now), found);
        Assert.True(considered * 10 < withSkill, $"looked at {considered} of the {withSkill} with the skill");
    }

    [Fact]
    public void Remove_TheLastEntryOfASkill_LeavesNothingToFind_AndPutMovesAnEntryBetweenBuckets()
    {
        var index = new CellIndex();
        var volunteer = new CellEntry(Guid.NewGuid(), "v", new GeoPoint(35.751, 115.001), Now, [HelpCategory.Meals], TravelMode.Walk, 1, 0);
        var query = new CandidateQuery(new GeoPoint(35.799, 115.049), HelpCategory.Meals, 15, []);

        index.Put(volunteer);
        Assert.Empty(index.Find(Circle, query, Now));                                 // ≈ 6.7 km on foot
        Assert.Same(volunteer, index.Put(volunteer with { Position = new GeoPoint(35.798, 115.048) }));
        Assert.Equal(volunteer.VolunteerId, Assert.Single(index.Find(Circle, query, Now)).VolunteerId);
        Assert.NotNull(index.Remove(volunteer.VolunteerId));

        Assert.Empty(index.Find(Circle, query, Now));
        Assert.Empty(index.Entries);
        Assert.Null(index.Remove(volunteer.VolunteerId));
    }

    private static CellEntry[] Population(Random random, int count) =>
    [
        .. Enumerable.Range(0, count).Select(i => new CellEntry(
            Guid.NewGuid(), "v" + i, Somewhere(random, margin: 0),
            Now - TimeSpan.FromMinutes(random.Next(0, 14)),                              // some older than the 10-minute limit
            Skills(random), (TravelMode)random.Next(4), random.Next(1, 4), random.Next(0, 3),
            random.Next(3) == 0 ? [new ServiceCredit(Now - TimeSpan.FromHours(random.Next(1, 48)), random.Next(10, 400))] : null)),
    ];

    private static HelpCategory[] Skills(Random random) =>
        [.. Enumerable.Range(0, 8).Where(_ => random.Next(3) == 0).Select(b => (HelpCategory)b).DefaultIfEmpty(HelpCategory.Meals)];

    /// <summary>A point in the cell, or up to <paramref name="margin"/> degrees around it.</summary>
    private static GeoPoint Somewhere(Random random, double margin) =>
        new(South - margin + random.NextDouble() * (Side + 2 * margin), West - margin + random.NextDouble() * (Side + 2 * margin));
}
