using Outreach.Dispatch;
using Outreach.Model;

namespace Outreach.Grains.Dispatch;

/// <summary>
/// The 15-minute test: ETA = straight-line distance × detour factor ÷ the speed of the volunteer's travel
/// mode; candidates are on duty (in the index at all), have the skill, a fresh position, room under their
/// capacity, were not excluded (declined or released this request), and arrive within the circle.
/// </summary>
public sealed class CircleTest(DispatchOptions options)
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
    public Candidate[] Rank(IEnumerable<CellEntry> entries, CandidateQuery query, DateTimeOffset now)
    {
        var excluded = query.Excluded.Length == 0 ? null : new HashSet<Guid>(query.Excluded);
        var found = new List<Candidate>();
        foreach (var entry in entries)
        {
            if (excluded?.Contains(entry.VolunteerId) == true
                || Array.IndexOf(entry.Skills, query.Skill) < 0
                || now - entry.PositionAt > options.PositionMaxAge
                || (!query.IgnoreCapacity && entry.Load >= entry.Capacity))
            {
                continue;
            }
            var (eta, distance) = Estimate(entry.Position, query.Position, entry.TravelMode);
            if (eta <= query.CircleMinutes)
                found.Add(new Candidate(entry.VolunteerId, entry.Name, Math.Round(eta, 2), Math.Round(distance), entry.TravelMode));
        }
        return [.. found.OrderBy(c => c.EtaMinutes).ThenBy(c => c.VolunteerId).Take(options.MaxOffers)];
    }

    /// <summary>Merges cells' ranked candidates into one ranking and keeps the best <paramref name="limit"/>.</summary>
    public static Candidate[] Merge(IEnumerable<Candidate[]> perCell, int limit) =>
        [.. perCell.SelectMany(c => c).OrderBy(c => c.EtaMinutes).ThenBy(c => c.VolunteerId).Take(limit)];
}
