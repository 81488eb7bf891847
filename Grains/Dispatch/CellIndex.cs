using System.Buffers;
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
    private readonly Dictionary<HelpCategory, Dictionary<BucketKey, Bucket>> _bySkill = [];

    /// <summary>Every entry by volunteer.</summary>
    public IReadOnlyDictionary<Guid, CellEntry> Entries => _entries;

    /// <summary>Files the entry, replacing the volunteer's previous one; returns the previous one, if any.</summary>
    public CellEntry? Put(CellEntry entry)
    {
        var previous = Remove(entry.VolunteerId);
        _entries[entry.VolunteerId] = entry;
        var key = BucketKey.Of(entry);
        foreach (var skill in entry.Skills)
        {
            if (!_bySkill.TryGetValue(skill, out var buckets))
                _bySkill[skill] = buckets = [];
            if (!buckets.TryGetValue(key, out var bucket))
                buckets[key] = bucket = new Bucket(key);
            bucket.Entries[entry.VolunteerId] = entry;
        }
        return previous;
    }

    /// <summary>Takes the volunteer's entry out; returns it, or null when there was none.</summary>
    public CellEntry? Remove(Guid volunteerId)
    {
        if (!_entries.Remove(volunteerId, out var previous))
            return null;
        var key = BucketKey.Of(previous);
        foreach (var skill in previous.Skills)
        {
            if (_bySkill.TryGetValue(skill, out var buckets) && buckets.TryGetValue(key, out var bucket)
                && bucket.Entries.Remove(volunteerId) && bucket.Entries.Count == 0)
            {
                buckets.Remove(key);
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
        Span<double> minutesPerMetre = stackalloc double[4];
        for (var mode = 0; mode < minutesPerMetre.Length; mode++)
            minutesPerMetre[mode] = circle.MinutesPerMetre((TravelMode)mode);
        var cosLat = Math.Cos(GeoMath.ToRadians(query.Position.Lat));
        // The buckets within the bound, sorted by their nearest minutes (a sort by plain keys, no comparer calls).
        var near = ArrayPool<Bucket>.Shared.Rent(buckets.Count);
        var minutesOf = buckets.Count <= 256 ? stackalloc double[buckets.Count] : new double[buckets.Count];
        var count = 0;
        try
        {
            foreach (var bucket in buckets.Values)
            {
                var minutes = bucket.MetresAtLeast(query.Position, cosLat) * minutesPerMetre[(int)bucket.Key.Mode];
                if (minutes <= ranking.Bound)
                {
                    minutesOf[count] = minutes;
                    near[count++] = bucket;
                }
            }
            minutesOf[..count].Sort(near.AsSpan(0, count));
            for (var i = 0; i < count && minutesOf[i] <= ranking.Bound; i++)
            {
                foreach (var entry in near[i].Entries.Values)
                    ranking.ConsiderHavingTheSkill(entry);
            }
        }
        finally
        {
            Array.Clear(near, 0, count);
            ArrayPool<Bucket>.Shared.Return(near);
        }
        considered = ranking.Considered;
        return ranking.Result();
    }

    /// <summary>A travel mode and a square of the bucket grid (absolute rows and columns, like the cells').</summary>
    private readonly record struct BucketKey(TravelMode Mode, int Row, int Column)
    {
        public static BucketKey Of(CellEntry entry) => new(entry.TravelMode,
            (int)Math.Floor((entry.Position.Lat + 90) / BucketDegrees), (int)Math.Floor((entry.Position.Lon + 180) / BucketDegrees));
    }

    /// <summary>The entries of one bucket, with its square's corner and the smaller cosine of its edges' latitudes.</summary>
    private sealed class Bucket(BucketKey key)
    {
        private readonly double _south = key.Row * BucketDegrees - 90;
        private readonly double _west = key.Column * BucketDegrees - 180;
        private readonly double _cosPoleward = GeoGrid.CosPoleward(key.Row * BucketDegrees - 90, BucketDegrees);

        public BucketKey Key { get; } = key;

        public Dictionary<Guid, CellEntry> Entries { get; } = [];

        /// <summary>A lower bound of the distance from any point of the square to <paramref name="to"/> (<see cref="GeoGrid.MetresAtLeast(GeoPoint, double, double, double, double, double)"/>).</summary>
        public double MetresAtLeast(GeoPoint to, double cosLat) =>
            GeoGrid.MetresAtLeast(to, cosLat, _south, _west, BucketDegrees, _cosPoleward);
    }
}
