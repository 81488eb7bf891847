using Outreach.Model;

namespace Outreach.Volunteers;

/// <summary>What a coordinator records about a volunteer.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.VolunteerProfile")]
public sealed record VolunteerProfile(
    [property: Id(0)] string Name,
    [property: Id(1)] string Phone,
    [property: Id(2)] HelpCategory[] Skills,
    [property: Id(3)] TravelMode TravelMode,
    [property: Id(4)] Guid? HomeStationId,
    [property: Id(5)] int Capacity,
    [property: Id(6)] bool Active = true);
