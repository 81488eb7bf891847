using Outreach.Stations;

namespace Outreach.Grains.Stations;

/// <summary>The robots a station keeps after a coordinator saves it, given what it had.</summary>
public static class StationRobotsMerge
{
    /// <summary>
    /// The robots as given, in order; a robot given without a secret (null) keeps the secret stored for the same
    /// kind and address, if any; an empty secret means none. A robot no longer given is dropped with its secret.
    /// </summary>
    public static RobotSetting[] Merge(IReadOnlyList<RobotSetting> stored, IReadOnlyList<RobotSetting> given) =>
        [.. given.Select(robot => robot.Secret switch
        {
            null => robot with { Secret = stored.FirstOrDefault(s => s.Kind == robot.Kind && s.Url == robot.Url)?.Secret },
            "" => robot with { Secret = null },
            _ => robot,
        })];
}
