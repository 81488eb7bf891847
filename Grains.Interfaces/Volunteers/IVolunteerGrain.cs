using Outreach.Model;

namespace Outreach.Volunteers;

/// <summary>One volunteer: profile, duty status and last known position; key: the volunteer id.</summary>
[Alias("Outreach.IVolunteerGrain")]
public interface IVolunteerGrain : IGrainWithGuidKey
{
    /// <summary>The volunteer, or null when none was registered under this id.</summary>
    [Alias("Get")]
    Task<VolunteerView?> GetAsync();

    /// <summary>Registers the volunteer; null when one already exists under this id.</summary>
    [Alias("Create")]
    Task<VolunteerView?> CreateAsync(VolunteerProfile profile);

    /// <summary>Replaces the profile; null when there is no volunteer under this id.</summary>
    [Alias("UpdateProfile")]
    Task<VolunteerView?> UpdateProfileAsync(VolunteerProfile profile);

    /// <summary>Goes on or off duty; null when there is no volunteer under this id.</summary>
    [Alias("SetDuty")]
    Task<VolunteerView?> SetDutyAsync(bool onDuty);

    /// <summary>Records the device's position; null when there is no volunteer under this id.</summary>
    [Alias("ReportPosition")]
    Task<VolunteerView?> ReportPositionAsync(GeoPoint position, double accuracyM);
}
