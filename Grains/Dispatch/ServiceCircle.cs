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
    /// <summary>Straight-line metres per minute of each travel mode (its speed over the detour factor).</summary>
    private readonly double[] _metresPerMinute = [.. Enum.GetValues<TravelMode>().Select(m => options.MetresPerSecond(m) * 60 / options.DetourFactor)];

    /// <summary>Each travel mode's speed (<see cref="DispatchOptions.MetresPerSecond"/>), by mode.</summary>
    private readonly double[] _metresPerSecond = [.. Enum.GetValues<TravelMode>().Select(options.MetresPerSecond)];

    /// <summary>How far the circle can reach with the fastest travel mode, in straight-line metres.</summary>
    public double ReachM(double circleMinutes) => options.FastestMetresPerSecond * circleMinutes * 60 / options.DetourFactor;

    /// <summary>Estimated minutes from <paramref name="from"/> to <paramref name="to"/> in <paramref name="mode"/>.</summary>
    public (double EtaMinutes, double DistanceM) Estimate(GeoPoint from, GeoPoint to, TravelMode mode)
    {
        var distance = GeoMath.DistanceM(from, to);
        return (EtaMinutes(distance, ModeIndex(mode)), distance);
    }

    /// <summary>Minutes to travel <paramref name="distanceM"/> straight-line metres in the mode of this index.</summary>
    private double EtaMinutes(double distanceM, int mode) => distanceM * options.DetourFactor / _metresPerSecond[mode] / 60;

    /// <summary>The index of a mode in the speed tables; a value beyond the known modes is a car, as in <see cref="DispatchOptions.MetresPerSecond"/>.</summary>
    private static int ModeIndex(TravelMode mode) => (uint)mode <= (uint)TravelMode.Car ? (int)mode : (int)TravelMode.Car;

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
    public Candidate[] Rank(IEnumerable<CellEntry> entries, CandidateQuery query, DateTimeOffset now)
    {
        var ranking = StartRanking(query, now);
        foreach (var entry in entries)
            ranking.Consider(entry);
        return ranking.Result();
    }

    /// <summary>A ranking for the query to be fed entries one by one (see <see cref="Ranking"/>).</summary>
    public Ranking StartRanking(CandidateQuery query, DateTimeOffset now) => new(this, options, query, now);

    /// <summary>Minutes per straight-line metre for <paramref name="mode"/> (the detour factor over the mode's speed).</summary>
    public double MinutesPerMetre(TravelMode mode) => options.DetourFactor / options.MetresPerSecond(mode) / 60;

    /// <summary>
    /// The best <see cref="DispatchOptions.MaxOffers"/> of the entries considered so far, as a bounded heap with the
    /// worst kept on top: once it is full, an entry whose north–south distance alone already makes it slower than the
    /// worst kept one is dropped before the haversine, and <see cref="Bound"/> tells a caller holding entries sorted by
    /// place which of them cannot be kept at all.
    /// </summary>
    public sealed class Ranking
    {
        private readonly ServiceCircle _circle;
        private readonly DispatchOptions _options;
        private readonly CandidateQuery _query;
        private readonly DateTimeOffset _now;
        private readonly HashSet<Guid>? _excluded;
        private readonly PriorityQueue<Candidate, Candidate> _best;
        private readonly double _cosQueryLat;
        private double _bound;

        internal Ranking(ServiceCircle circle, DispatchOptions options, CandidateQuery query, DateTimeOffset now)
        {
            _circle = circle;
            _options = options;
            _query = query;
            _now = now;
            _excluded = query.Excluded.Length == 0 ? null : new HashSet<Guid>(query.Excluded);
            _best = new PriorityQueue<Candidate, Candidate>(options.MaxOffers + 1, WorstFirst.Instance);
            _bound = query.CircleMinutes;
            _cosQueryLat = Math.Cos(GeoMath.ToRadians(query.Position.Lat));
        }

        /// <summary>
        /// An entry whose ETA is more than this many minutes cannot be kept: the circle until the ranking is full,
        /// then the worst kept candidate's rank, with room for the rounding of kept ETAs (an entry ranks at least at
        /// its ETA, so a later ETA cannot beat it).
        /// </summary>
        public double Bound => _bound + RoundingSlack;

        /// <summary>How many entries were considered (what a search costs).</summary>
        public int Considered { get; private set; }

        public void Consider(CellEntry entry)
        {
            if (Array.IndexOf(entry.Skills, _query.Skill) < 0)
            {
                Considered++;
                return;
            }
            ConsiderHavingTheSkill(entry);
        }

        /// <summary>As <see cref="Consider"/> for an entry the caller knows has the query's skill (one of the skill's buckets).</summary>
        internal void ConsiderHavingTheSkill(CellEntry entry)
        {
            Considered++;
            var query = _query;
            if (_excluded?.Contains(entry.VolunteerId) == true
                || _now - entry.PositionAt > _options.PositionMaxAge
                || (!query.IgnoreCapacity && entry.Load >= entry.Capacity))
            {
                return;
            }
            var mode = ModeIndex(entry.TravelMode);
            var metresPerMinute = _circle._metresPerMinute[mode];
            if (Math.Abs(entry.Position.Lat - query.Position.Lat) * MetresPerDegreeOfLatitude > Bound * metresPerMinute)
                return;
            // Estimate's figures, with the query's cosine computed once and each mode's speed looked up once.
            var distance = GeoMath.DistanceM(entry.Position, query.Position, _cosQueryLat);
            var eta = _circle.EtaMinutes(distance, mode);
            if (eta > query.CircleMinutes)
                return;
            var served = _circle.ServedMinutes(entry.RecentService, _now);
            var (roundedEta, fatigue) = (Math.Round(eta, 2), Math.Round(_circle.Fatigue(served), 2));
            var limit = _options.MaxOffers;
            // A full ranking keeps only what beats its worst: the rank decides unless it ties, so most entries a dense
            // cell offers are dropped here without building a candidate.
            if (_best.Count == limit && roundedEta + fatigue > _best.Peek().RankMinutes)
                return;
            var candidate = new Candidate(entry.VolunteerId, entry.Name, roundedEta, Math.Round(distance), entry.TravelMode, served, fatigue);
            if (_best.Count < limit)
                _best.Enqueue(candidate, candidate);
            else if (WorstFirst.Instance.Compare(candidate, _best.Peek()) > 0)
                _best.EnqueueDequeue(candidate, candidate);
            else
                return;
            if (_best.Count == limit)
                _bound = _best.Peek().RankMinutes;
        }

        /// <summary>The kept candidates, best first.</summary>
        public Candidate[] Result()
        {
            var ranked = new Candidate[_best.Count];
            for (var i = ranked.Length - 1; i >= 0; i--)
                ranked[i] = _best.Dequeue();
            return ranked;
        }
    }

    /// <summary>Metres per degree of latitude (a lower bound on the distance between two points).</summary>
    private const double MetresPerDegreeOfLatitude = GeoMath.EarthRadiusM * Math.PI / 180;

    /// <summary>Kept ETAs are rounded to 0.01 min; the prune leaves room for that so it never drops a tie.</summary>
    private const double RoundingSlack = 0.005;

    /// <summary>Merges cells' ranked candidates into one ranking and keeps the best <paramref name="limit"/>.</summary>
    public static Candidate[] Merge(IReadOnlyList<Candidate[]> perCell, int limit)
    {
        var total = 0;
        foreach (var cell in perCell)
            total += cell.Length;
        var all = new Candidate[total];
        var at = 0;
        foreach (var cell in perCell)
        {
            cell.CopyTo(all, at);
            at += cell.Length;
        }
        Array.Sort(all, BestFirst.Instance);
        return total <= limit ? all : all[..limit];
    }

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
