using Outreach.Files;
using Outreach.Model;

namespace Outreach.Volunteers;

/// <summary>One line of the volunteer roster.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.VolunteerSummary")]
public sealed record VolunteerSummary(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Name,
    [property: Id(2)] HelpCategory[] Skills,
    [property: Id(3)] TravelMode TravelMode,
    [property: Id(4)] Guid? HomeStationId,
    [property: Id(5)] bool Active,
    [property: Id(6)] bool OnDuty) : IDirectoryEntry;
