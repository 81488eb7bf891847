namespace Outreach.Model;

/// <summary>
/// The order of a request's statuses and which of them are open: the one definition the grains, the web's queries
/// and the pages follow. Migration 0006's partial index <c>ix_outreach_requests_open</c> lists <see cref="Open"/> in SQL
/// (an applied migration is never edited; <c>LifecycleTests</c> checks they agree).
/// </summary>
public static class Lifecycle
{
    /// <summary>Statuses of a request that still needs someone: offered, claimed, en route or on site.</summary>
    public static IReadOnlyList<RequestStatus> Open { get; } =
        [RequestStatus.Offered, RequestStatus.Claimed, RequestStatus.EnRoute, RequestStatus.OnSite];

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
