using Outreach.Stations;

namespace Outreach.Demo;

/// <summary>A demo station (驿站) and the key its grain is created under.</summary>
public sealed record DemoStation(Guid Id, StationInfo Info);
