namespace Outreach.Stations;

/// <summary>A station with its roster of home volunteers and its group's robots (never their secrets).</summary>
[GenerateSerializer, Immutable, Alias("Outreach.StationView")]
public sealed record StationView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] StationInfo Info,
    [property: Id(2)] Guid[] Roster,
    [property: Id(3)] DateTimeOffset UpdatedAt,
    [property: Id(4)] StationRobot[]? Robots = null) : Files.IDirectoryEntry;
