using Outreach.Model;

namespace Outreach.Volunteers;

/// <summary>Where a volunteer's device last said they were, and when.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.VolunteerPosition")]
public sealed record VolunteerPosition(
    [property: Id(0)] GeoPoint Position,
    [property: Id(1)] double AccuracyM,
    [property: Id(2)] DateTimeOffset At);
