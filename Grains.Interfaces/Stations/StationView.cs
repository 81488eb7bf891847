namespace Outreach.Stations;

/// <summary>A station with its roster of home volunteers.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.StationView")]
public sealed record StationView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] StationInfo Info,
    [property: Id(2)] Guid[] Roster,
    [property: Id(3)] DateTimeOffset UpdatedAt) : Files.IDirectoryEntry;
