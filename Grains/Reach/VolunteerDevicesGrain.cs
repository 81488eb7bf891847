using Outreach.Reach;

namespace Outreach.Grains.Reach;

/// <summary>
/// The web's way to a volunteer's push devices: every call is one statement of the <see cref="PushSubscriptionStore"/>,
/// answered after it is written; one volunteer's changes run one at a time.
/// </summary>
public sealed class VolunteerDevicesGrain(PushSubscriptionStore store) : Grain, IVolunteerDevicesGrain
{
    private Guid VolunteerId => this.GetPrimaryKey();

    public Task<bool> SaveAsync(PushDevice device) => store.SaveAsync(VolunteerId, device);

    public Task<bool> RemoveAsync(string endpoint) => store.RemoveAsync(VolunteerId, endpoint);

    public Task<int> RemoveSessionAsync(string session) => store.RemoveSessionAsync(VolunteerId, session);
}
