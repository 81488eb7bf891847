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

    /// <summary>The volunteer's own choice of Emergency offers by SMS; null when there is no volunteer under this id.</summary>
    [Alias("SetSmsOffers")]
    Task<VolunteerView?> SetSmsOffersAsync(bool enabled);

    /// <summary>Goes on or off duty; null when there is no volunteer under this id.</summary>
    [Alias("SetDuty")]
    Task<VolunteerView?> SetDutyAsync(bool onDuty);

    /// <summary>Records the device's position; null when there is no volunteer under this id.</summary>
    [Alias("ReportPosition")]
    Task<VolunteerView?> ReportPositionAsync(GeoPoint position, double accuracyM);

    /// <summary>
    /// Holds a place for a request about to be claimed or assigned (in memory, lapsing after a short while): the
    /// volunteer as they are, and whether they have room for it (always, when <paramref name="force"/>d).
    /// </summary>
    [Alias("Reserve")]
    Task<Reservation> ReserveAsync(Guid requestId, bool force);

    /// <summary>Gives up a place held by <see cref="ReserveAsync"/> (the request was not stored).</summary>
    [Alias("CancelReservation")]
    Task CancelReservationAsync(Guid requestId);

    /// <summary>
    /// Carries a request whose claim or assignment is stored (the request's effect, after its write).
    /// Taking the same request twice is a no-op.
    /// </summary>
    [Alias("TakeOn")]
    Task TakeOnAsync(Guid requestId);

    /// <summary>
    /// Lets go of a request (completed, released, cancelled); <paramref name="completed"/> counts it as service, of
    /// <paramref name="servedMinutes"/> (kept for the fatigue window and given to the dispatch cell).
    /// </summary>
    [Alias("LetGo")]
    Task LetGoAsync(Guid requestId, bool completed, double servedMinutes = 0);
}
