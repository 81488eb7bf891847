namespace Outreach.Stations;

/// <summary>
/// A station group's robot as it is shown: its kind, its webhook address and whether a signing secret is stored.
/// The secret itself never leaves the silo (<see cref="RobotSetting"/> carries it in).
/// </summary>
[GenerateSerializer, Immutable, Alias("Outreach.StationRobot")]
public sealed record StationRobot(
    [property: Id(0)] RobotKind Kind,
    [property: Id(1)] string Url,
    [property: Id(2)] bool HasSecret);
