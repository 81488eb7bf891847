using Outreach.Dispatch;
using Outreach.Model;

namespace Outreach.Grains.Dispatch;

/// <summary>
/// The on-duty volunteers of one dispatch cell, kept by skill and, within a skill, in buckets of one travel mode and
/// one square of a finer grid (<see cref="BucketDegrees"/>). A search takes the buckets of the request's skill nearest
/// in minutes first and stops at the first bucket whose nearest point is already slower than the worst candidate kept,
/// so a dense cell costs about what its nearest fifty cost, not what everyone in it costs.
/// </summary>
public sealed class CellIndex
{
    /// <summary>The side of a bucket's square in degrees: ≈ 1.1 km north–south, ≈ 0.9 km east–west at 35°N.</summary>
    public const double BucketDegrees = 0.01;

    private readonly Dictionary<Guid, CellEntry> _entries = [];
    private readonly Dictionary<HelpCategory, Dictionary<Bucket, Dictionary<Guid, CellEntry>>> _bySkill = [];

    /// <summary>Every entry by volunteer.</summary>
    public IReadOnlyDictionary<Guid, CellEntry> Entries => _entries;

    /// <summary>Files the entry, replacing the volunteer's previous one; returns the previous one, if any.</summary>
    public CellEntry? Put(CellEntry entry)
    {
        var previous = Remove(entry.VolunteerId);
        _entries[entry.VolunteerId] = entry;
        var bucket = Bucket.Of(entry);
        foreach (var skill in entry.Skills)
        {
            if (!_bySkill.TryGetValue(skill, out var buckets))
                _bySkill[skill] = buckets = [];
            if (!buckets.TryGetValue(bucket, out var inBucket))
                buckets[bucket] = inBucket = [];
            inBucket[entry.VolunteerId] = entry;
        }
        return previous;
    }

    /// <summary>Takes the volunteer's entry out; returns it, or null when there was none.</summary>
    public CellEntry? Remove(Guid volunteerId)
    {
        if (!_entries.Remove(volunteerId, out var previous))
            return null;
        var bucket = Bucket.Of(previous);
        foreach (var skill in previous.Skills)
        {
            if (_bySkill.TryGetValue(skill, out var buckets) && buckets.TryGetValue(bucket, out var inBucket)
                && inBucket.Remove(volunteerId) && inBucket.Count == 0)
            {
                buckets.Remove(bucket);
            }
        }
        return previous;
    }

    /// <summary>The best candidates in this cell for the query (as <see cref="ServiceCircle.Rank"/> over every entry).</summary>
    public Candidate[] Find(ServiceCircle circle, CandidateQuery query, DateTimeOffset now) =>
        Find(circle, query, now, out _);

    /// <summary>As <see cref="Find(ServiceCircle, CandidateQuery, DateTimeOffset)"/>, counting the entries it looked at.</summary>
    internal Candidate[] Find(ServiceCircle circle, CandidateQuery query, DateTimeOffset now, out int considered)
    {
        considered = 0;
        if (!_bySkill.TryGetValue(query.Skill, out var buckets))
            return [];
        var ranking = circle.StartRanking(query, now);
        var near = new (double Minutes, Dictionary<Guid, CellEntry> Entries)[buckets.Count];
        var count = 0;
        foreach (var (bucket, inBucket) in buckets)
        {
            var minutes = bucket.MinutesAtLeast(circle, query.Position);
            if (minutes <= ranking.Bound)
                near[count++] = (minutes, inBucket);
        }
        Array.Sort(near, 0, count, NearestFirst.Instance);
        for (var i = 0; i < count && near[i].Minutes <= ranking.Bound; i++)
        {
            foreach (var entry in near[i].Entries.Values)
                ranking.Consider(entry);
        }
        considered = ranking.Considered;
        return ranking.Result();
    }

    /// <summary>A travel mode and a square of the bucket grid (absolute rows and columns, like the cells').</summary>
    private readonly record struct Bucket(TravelMode Mode, int Row, int Column)
    {
        public static Bucket Of(CellEntry entry) => new(entry.TravelMode,
            (int)Math.Floor((entry.Position.Lat + 90) / BucketDegrees), (int)Math.Floor((entry.Position.Lon + 180) / BucketDegrees));

        public double MinutesAtLeast(ServiceCircle circle, GeoPoint to)
        {
            var south = Row * BucketDegrees - 90;
            var west = Column * BucketDegrees - 180;
            return circle.MinutesAtLeast(to, south, south + BucketDegrees, west, west + BucketDegrees, Mode);
        }
    }

    private sealed class NearestFirst : IComparer<(double Minutes, Dictionary<Guid, CellEntry> Entries)>
    {
        public static readonly NearestFirst Instance = new();

        public int Compare((double Minutes, Dictionary<Guid, CellEntry> Entries) x, (double Minutes, Dictionary<Guid, CellEntry> Entries) y) =>
            x.Minutes.CompareTo(y.Minutes);
    }
}
