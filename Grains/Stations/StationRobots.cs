using Outreach.Stations;

namespace Outreach.Grains.Stations;

/// <summary>What the robot channel needs of a station: the name its messages give as the area, and the robots.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.StationRobots")]
public sealed record StationRobots([property: Id(0)] string StationName, [property: Id(1)] RobotSetting[] Robots);
