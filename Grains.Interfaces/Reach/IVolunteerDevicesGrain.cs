namespace Outreach.Reach;

/// <summary>
/// A volunteer's browsers that take Web Push (their push subscriptions); key: the volunteer id. The web keeps them
/// through this grain only; the push channel reads and prunes them in the silo.
/// </summary>
[Alias("Outreach.IVolunteerDevicesGrain")]
public interface IVolunteerDevicesGrain : IGrainWithGuidKey
{
    /// <summary>Keeps the device (stored before answering); true when the endpoint is new for this volunteer.</summary>
    [Alias("Save")]
    Task<bool> SaveAsync(PushDevice device);

    /// <summary>Forgets the device with this endpoint, if it is this volunteer's; true when one was removed.</summary>
    [Alias("Remove")]
    Task<bool> RemoveAsync(string endpoint);

    /// <summary>Forgets the devices that a login session subscribed (it logged out); how many were removed.</summary>
    [Alias("RemoveSession")]
    Task<int> RemoveSessionAsync(string session);
}
