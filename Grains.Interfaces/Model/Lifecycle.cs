using Outreach.Model;

namespace Outreach.Grains.Dispatch;

/// <summary>The order of a request's statuses, as the assigned volunteer reports them.</summary>
public static class Lifecycle
{
    /// <summary>The only status an assigned volunteer may report next, or null when none is left.</summary>
    public static RequestStatus? NextStep(RequestStatus current) => current switch
    {
        RequestStatus.Claimed => RequestStatus.EnRoute,
        RequestStatus.EnRoute => RequestStatus.OnSite,
        RequestStatus.OnSite => RequestStatus.Completed,
        _ => null,
    };

    /// <summary>Statuses in which a volunteer carries the request.</summary>
    public static bool IsAssigned(RequestStatus status) =>
        status is RequestStatus.Claimed or RequestStatus.EnRoute or RequestStatus.OnSite;
}
