using Outreach.Model;

namespace Outreach.Volunteers;

/// <summary>
/// What a coordinator records about a volunteer. <see cref="SmsOffers"/>: the volunteer also wants Emergency offers
/// by SMS when no device of theirs showed them in time (no smartphone, or as a fallback); set by them or a coordinator.
/// </summary>
[GenerateSerializer, Immutable, Alias("Outreach.VolunteerProfile")]
public sealed record VolunteerProfile(
    [property: Id(0)] string Name,
    [property: Id(1)] string Phone,
    [property: Id(2)] HelpCategory[] Skills,
    [property: Id(3)] TravelMode TravelMode,
    [property: Id(4)] Guid? HomeStationId,
    [property: Id(5)] int Capacity,
    [property: Id(6)] bool Active = true,
    [property: Id(7)] bool SmsOffers = false);
