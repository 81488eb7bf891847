using Outreach.Dispatch;
using Outreach.Model;

namespace Outreach.Grains.Dispatch;

/// <summary>
/// The 15-minute service circle (15分钟服务圈): who can be there in time. ETA = straight-line distance × detour factor ÷ the speed of the volunteer's travel
/// mode; candidates are on duty (in the index at all), have the skill, a fresh position, room under their
/// capacity, were not excluded (declined or released this request), and arrive within the circle.
/// </summary>
public sealed class ServiceCircle(DispatchOptions options)
{
    /// <summary>How far the circle can reach with the fastest travel mode, in straight-line metres.</summary>
    public double ReachM(double circleMinutes) => options.FastestMetresPerSecond * circleMinutes * 60 / options.DetourFactor;

    /// <summary>Estimated minutes from <paramref name="from"/> to <paramref name="to"/> in <paramref name="mode"/>.</summary>
    public (double EtaMinutes, double DistanceM) Estimate(GeoPoint from, GeoPoint to, TravelMode mode)
    {
        var distance = GeoMath.DistanceM(from, to);
        return (distance * options.DetourFactor / options.MetresPerSecond(mode) / 60, distance);
    }

    /// <summary>
    /// The entries that pass the test for the query at <paramref name="now"/>, ranked by ETA (then id, for a stable
    /// order); at most <see cref="DispatchOptions.MaxOffers"/>, since no request offers to more.
    /// </summary>
    /// <remarks>
    /// One pass with a bounded heap of the best so far: once it is full, an entry whose north–south distance
    /// alone already makes it slower than the worst kept one is dropped before the haversine, so a dense cell
    /// costs little more than a sparse one and nothing but the kept few is allocated.
    /// </remarks>
    public Candidate[] Rank(IEnumerable<CellEntry> entries, CandidateQuery query, DateTimeOffset now)
    {
        var excluded = query.Excluded.Length == 0 ? null : new HashSet<Guid>(query.Excluded);
        var limit = options.MaxOffers;
        var best = new PriorityQueue<Candidate, Candidate>(limit + 1, WorstFirst.Instance);
        var bound = query.CircleMinutes;
        foreach (var entry in entries)
        {
            if (excluded?.Contains(entry.VolunteerId) == true
                || Array.IndexOf(entry.Skills, query.Skill) < 0
                || now - entry.PositionAt > options.PositionMaxAge
                || (!query.IgnoreCapacity && entry.Load >= entry.Capacity))
            {
                continue;
            }
            var metresPerMinute = options.MetresPerSecond(entry.TravelMode) * 60 / options.DetourFactor;
            if (Math.Abs(entry.Position.Lat - query.Position.Lat) * MetresPerDegreeOfLatitude > (bound + RoundingSlack) * metresPerMinute)
                continue;
            var (eta, distance) = Estimate(entry.Position, query.Position, entry.TravelMode);
            if (eta > query.CircleMinutes)
                continue;
            var candidate = new Candidate(entry.VolunteerId, entry.Name, Math.Round(eta, 2), Math.Round(distance), entry.TravelMode);
            if (best.Count < limit)
                best.Enqueue(candidate, candidate);
            else if (WorstFirst.Instance.Compare(candidate, best.Peek()) > 0)
                best.EnqueueDequeue(candidate, candidate);
            else
                continue;
            if (best.Count == limit)
                bound = best.Peek().EtaMinutes;
        }
        var ranked = new Candidate[best.Count];
        for (var i = ranked.Length - 1; i >= 0; i--)
            ranked[i] = best.Dequeue();
        return ranked;
    }

    /// <summary>Metres per degree of latitude (a lower bound on the distance between two points).</summary>
    private const double MetresPerDegreeOfLatitude = GeoMath.EarthRadiusM * Math.PI / 180;

    /// <summary>Kept ETAs are rounded to 0.01 min; the prune leaves room for that so it never drops a tie.</summary>
    private const double RoundingSlack = 0.005;

    /// <summary>Merges cells' ranked candidates into one ranking and keeps the best <paramref name="limit"/>.</summary>
    public static Candidate[] Merge(IEnumerable<Candidate[]> perCell, int limit) =>
        [.. perCell.SelectMany(c => c).OrderBy(c => c.EtaMinutes).ThenBy(c => c.VolunteerId).Take(limit)];

    /// <summary>Orders candidates worst first (the later ETA, then the larger id), the head of a bounded best-of heap.</summary>
    private sealed class WorstFirst : IComparer<Candidate>
    {
        public static readonly WorstFirst Instance = new();

        public int Compare(Candidate? x, Candidate? y)
        {
            var byEta = y!.EtaMinutes.CompareTo(x!.EtaMinutes);
            return byEta != 0 ? byEta : y.VolunteerId.CompareTo(x.VolunteerId);
        }
    }
}
