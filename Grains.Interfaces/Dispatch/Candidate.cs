using Outreach.Model;

namespace Outreach.Dispatch;

/// <summary>
/// A volunteer who passes the circle test for a request, with their estimated travel, the minutes they served in the
/// fatigue window and what that adds to their ETA for ranking (<see cref="RankMinutes"/>; see ServiceCircle).
/// </summary>
[GenerateSerializer, Immutable, Alias("Outreach.Candidate")]
public sealed record Candidate(
    [property: Id(0)] Guid VolunteerId,
    [property: Id(1)] string Name,
    [property: Id(2)] double EtaMinutes,
    [property: Id(3)] double DistanceM,
    [property: Id(4)] TravelMode TravelMode,
    [property: Id(5)] double ServedMinutes = 0,
    [property: Id(6)] double FatigueMinutes = 0)
{
    /// <summary>What candidates are ranked by: the ETA lengthened by the fatigue penalty.</summary>
    public double RankMinutes => EtaMinutes + FatigueMinutes;
}
