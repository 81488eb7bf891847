using Outreach.Dispatch;
using Outreach.Model;

namespace Outreach.Grains.Dispatch;

/// <summary>
/// The 15-minute service circle (15分钟服务圈): who can be there in time. ETA = straight-line distance × detour factor ÷ the speed of the volunteer's travel
/// mode; candidates are on duty (in the index at all), have the skill, a fresh position, room under their
/// capacity, were not excluded (declined or released this request), and arrive within the circle.
/// <para>
/// Fatigue-aware ranking (<see cref="Fatigue"/>): candidates are ranked by their ETA lengthened by up to
/// <see cref="DispatchOptions.FatigueMarginMinutes"/> in proportion to the minutes they served in the last
/// <see cref="DispatchOptions.FatigueWindow"/> (the whole margin from <see cref="DispatchOptions.FatigueFullMinutes"/> on),
/// then by those minutes (less first), then ETA, then id. So at equal ETA who served less comes first; within the
/// margin a volunteer who served less can come before a nearer one who served more; nobody is ever put behind someone
/// more than the margin farther away; and with no recent service anywhere the order is plain ETA, as before.
/// </para>
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

    /// <summary>Minutes of <paramref name="recent"/> service that count at <paramref name="now"/> (inside the fatigue window).</summary>
    public double ServedMinutes(ServiceCredit[]? recent, DateTimeOffset now)
    {
        if (recent is null || recent.Length == 0)
            return 0;
        var since = now - options.FatigueWindow;
        var served = 0.0;
        foreach (var credit in recent)
        {
            if (credit.At > since && credit.At <= now)
                served += credit.Minutes;
        }
        return served;
    }

    /// <summary>What <paramref name="servedMinutes"/> in the window add to a candidate's ETA for ranking: 0 up to the margin.</summary>
    public double Fatigue(double servedMinutes) =>
        servedMinutes <= 0 ? 0 : options.FatigueMarginMinutes * Math.Min(1, servedMinutes / options.FatigueFullMinutes);

    /// <summary>
    /// The entries that pass the test for the query at <paramref name="now"/>, in rank order (fatigue-aware ETA, then
    /// served minutes, ETA and id, for a stable order); at most <see cref="DispatchOptions.MaxOffers"/>, since no request
    /// offers to more.
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
            var served = ServedMinutes(entry.RecentService, now);
            var candidate = new Candidate(entry.VolunteerId, entry.Name, Math.Round(eta, 2), Math.Round(distance), entry.TravelMode,
                served, Math.Round(Fatigue(served), 2));
            if (best.Count < limit)
                best.Enqueue(candidate, candidate);
            else if (WorstFirst.Instance.Compare(candidate, best.Peek()) > 0)
                best.EnqueueDequeue(candidate, candidate);
            else
                continue;
            if (best.Count == limit)
                bound = best.Peek().RankMinutes; // an entry ranks at least at its ETA, so a later ETA cannot beat it
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
        [.. perCell.SelectMany(c => c).Order(BestFirst.Instance).Take(limit)];

    /// <summary>
    /// The rank order: the fatigue-aware ETA, then served minutes (less first), then ETA, then id. A total order (each
    /// candidate's key is its own), so the cells' heaps and the merge agree.
    /// </summary>
    public sealed class BestFirst : IComparer<Candidate>
    {
        public static readonly BestFirst Instance = new();

        public int Compare(Candidate? x, Candidate? y)
        {
            ArgumentNullException.ThrowIfNull(x);
            ArgumentNullException.ThrowIfNull(y);
            var c = x.RankMinutes.CompareTo(y.RankMinutes);
            if (c == 0)
                c = x.ServedMinutes.CompareTo(y.ServedMinutes);
            if (c == 0)
                c = x.EtaMinutes.CompareTo(y.EtaMinutes);
            return c != 0 ? c : x.VolunteerId.CompareTo(y.VolunteerId);
        }
    }

    /// <summary>Orders candidates worst first (the reverse of <see cref="BestFirst"/>), the head of a bounded best-of heap.</summary>
    private sealed class WorstFirst : IComparer<Candidate>
    {
        public static readonly WorstFirst Instance = new();

        public int Compare(Candidate? x, Candidate? y) => BestFirst.Instance.Compare(y, x);
    }
}
