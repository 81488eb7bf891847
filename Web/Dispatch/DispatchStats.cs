namespace Outreach.Web.Dispatch;

/// <summary>
/// The coordinator's figures, computed from the request ledger: counts and times over the requests created since
/// <see cref="Since"/>, and an hourly chart of the 24 hours up to <see cref="Now"/>; plus the volunteers on duty
/// now per home station (from the roster, not the ledger).
/// </summary>
public sealed record DispatchStats(
    DateTimeOffset Since,
    DateTimeOffset Now,
    int Total,
    int Escalated,
    IReadOnlyDictionary<string, int> ByStatus,
    IReadOnlyDictionary<string, int> ByCategory,
    MinutesFigures TimeToClaim,
    MinutesFigures TimeToArrival,
    ReachShare ReachedWithinCircle,
    IReadOnlyList<HourlyPoint> LastDay,
    IReadOnlyList<StationDuty>? OnDutyByStation = null,
    DeliveryFigures? Deliveries = null);
