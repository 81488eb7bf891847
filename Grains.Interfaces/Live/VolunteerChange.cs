using Outreach.Model;

namespace Outreach.Live;

/// <summary>A volunteer moved or went on or off duty (for coordinators' maps).</summary>
[GenerateSerializer, Immutable, Alias("Outreach.VolunteerChange")]
public sealed record VolunteerChange(
    [property: Id(0)] Guid VolunteerId,
    [property: Id(1)] string Name,
    [property: Id(2)] GeoPoint? Position,
    [property: Id(3)] bool OnDuty,
    [property: Id(4)] DateTimeOffset At);
