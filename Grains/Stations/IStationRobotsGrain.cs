using Outreach.Stations;

namespace Outreach.Grains.Stations;

/// <summary>
/// The station grain's robots with their secrets, for the silo's robot channel only. Declared in the grains
/// assembly, which the web host does not reference, so a secret crosses only calls inside the cluster.
/// </summary>
[Alias("Outreach.IStationRobotsGrain")]
public interface IStationRobotsGrain : IGrainWithGuidKey
{
    /// <summary>The station's name and robots (with secrets); null when there is no station under this id.</summary>
    [Alias("GetRobots")]
    Task<StationRobots?> GetRobotsAsync();
}
