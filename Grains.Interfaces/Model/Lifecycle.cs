namespace Outreach.Model;

/// <summary>
/// The order of a request's statuses and the words for groups of them (assigned, someone coming, open, closed): the
/// one definition the grains, the web's queries and the pages follow (the pages' <c>js/lifecycle.js</c> is held to it
/// by <c>LifecycleModuleTests</c>). Migrations 0006 and 0015 list <see cref="Open"/> and <see cref="Assigned"/> in the
/// SQL of their partial indexes (an applied migration is never edited; <c>LifecycleTests</c> checks they agree).
/// </summary>
public static class Lifecycle
{
    /// <summary>Statuses in which a volunteer carries the request: claimed, en route or on site.</summary>
    public static IReadOnlyList<RequestStatus> Assigned { get; } =
        [RequestStatus.Claimed, RequestStatus.EnRoute, RequestStatus.OnSite];

    /// <summary>
    /// Statuses in which the assigned volunteer is on the way to the family, not there yet: claimed or en route. The
    /// family hears that someone is coming and when; the volunteer may still say they cannot go.
    /// </summary>
    public static IReadOnlyList<RequestStatus> Coming { get; } = [RequestStatus.Claimed, RequestStatus.EnRoute];

    /// <summary>Statuses of a request that still needs someone: offered, claimed, en route or on site.</summary>
    public static IReadOnlyList<RequestStatus> Open { get; } = [RequestStatus.Offered, .. Assigned];

    /// <summary>Done or withdrawn: nothing happens to the request any more.</summary>
    public static IReadOnlyList<RequestStatus> Closed { get; } = [RequestStatus.Completed, RequestStatus.Cancelled];

    /// <summary>The only status an assigned volunteer may report next, or null when none is left.</summary>
    public static RequestStatus? NextStep(RequestStatus current) => current switch
    {
        RequestStatus.Claimed => RequestStatus.EnRoute,
        RequestStatus.EnRoute => RequestStatus.OnSite,
        RequestStatus.OnSite => RequestStatus.Completed,
        _ => null,
    };

    /// <summary>Whether a volunteer carries the request (<see cref="Assigned"/>).</summary>
    public static bool IsAssigned(RequestStatus status) => Assigned.Contains(status);

    /// <summary>Whether the assigned volunteer is on the way and not there yet (<see cref="Coming"/>).</summary>
    public static bool IsComing(RequestStatus status) => Coming.Contains(status);

    /// <summary>Whether nothing happens to the request any more (<see cref="Closed"/>).</summary>
    public static bool IsClosed(RequestStatus status) => Closed.Contains(status);
}
