namespace Outreach.Volunteers;

/// <summary>A volunteer as the coordinator sees them: profile, duty status, last position.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.VolunteerView")]
public sealed record VolunteerView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] VolunteerProfile Profile,
    [property: Id(2)] bool OnDuty,
    [property: Id(3)] VolunteerPosition? LastPosition,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DateTimeOffset UpdatedAt,
    [property: Id(6)] Guid[]? ActiveRequests = null,
    [property: Id(7)] int CompletedCount = 0);
