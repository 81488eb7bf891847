namespace Outreach.Stations;

/// <summary>One station (驿站): position, service circle, kits and roster; key: the station id.</summary>
[Alias("Outreach.IStationGrain")]
public interface IStationGrain : IGrainWithGuidKey
{
    /// <summary>The station, or null when none was created under this id.</summary>
    [Alias("Get")]
    Task<StationView?> GetAsync();

    /// <summary>Creates the station (with its group's robots); null when one already exists under this id (its directory line is then written again).</summary>
    [Alias("Create")]
    Task<StationView?> CreateAsync(StationInfo info, RobotSetting[]? robots = null);

    /// <summary>
    /// Replaces the station's details, and its robots when given (null: kept as they are; a robot without a
    /// secret keeps the one stored for the same kind and address); null when there is no station under this id.
    /// </summary>
    [Alias("Update")]
    Task<StationView?> UpdateAsync(StationInfo info, RobotSetting[]? robots = null);

    /// <summary>Adds a volunteer to the roster (they chose this as their home station).</summary>
    [Alias("AddToRoster")]
    Task AddToRosterAsync(Guid volunteerId);

    /// <summary>Removes a volunteer from the roster.</summary>
    [Alias("RemoveFromRoster")]
    Task RemoveFromRosterAsync(Guid volunteerId);
}
