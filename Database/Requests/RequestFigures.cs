namespace Outreach.Database;

/// <summary>
/// The ledger's figures over the requests created since a time: counts by status and by category (every word, zero
/// when absent), escalations, the minutes to the claim and to the arrival, how many arrived within the target, and
/// the last day hour by hour.
/// </summary>
public sealed record RequestFigures(
    IReadOnlyDictionary<string, int> ByStatus,
    IReadOnlyDictionary<string, int> ByCategory,
    int Escalated,
    MinutesFigures TimeToClaim,
    MinutesFigures TimeToArrival,
    int ArrivedOnTime,
    IReadOnlyList<HourlyPoint> LastDay);
