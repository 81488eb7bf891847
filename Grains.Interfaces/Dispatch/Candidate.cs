using Outreach.Model;

namespace Outreach.Dispatch;

/// <summary>A volunteer who passes the circle test for a request, with their estimated travel.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.Candidate")]
public sealed record Candidate(
    [property: Id(0)] Guid VolunteerId,
    [property: Id(1)] string Name,
    [property: Id(2)] double EtaMinutes,
    [property: Id(3)] double DistanceM,
    [property: Id(4)] TravelMode TravelMode);
