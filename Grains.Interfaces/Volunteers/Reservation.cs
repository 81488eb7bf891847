namespace Outreach.Volunteers;

/// <summary>A volunteer as a request about to be theirs sees them, and whether they have room for it.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.Reservation")]
public sealed record Reservation([property: Id(0)] VolunteerView? Volunteer, [property: Id(1)] bool HasRoom);
