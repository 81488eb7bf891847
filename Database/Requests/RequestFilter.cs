namespace Outreach.Database;

/// <summary>Which ledger rows to list: a status word (open, all, followup) and optional narrowing (<see cref="Ids"/>: only these requests).</summary>
public sealed record RequestFilter(
    string Status = RequestTable.Open,
    Guid? StationId = null,
    DateTimeOffset? Since = null,
    Guid? WorkerId = null,
    Guid? CreatedBy = null,
    Guid[]? Ids = null);
