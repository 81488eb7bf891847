using Outreach.Dispatch;

namespace Outreach.Grains.Dispatch;

/// <summary>
/// The queryable record of every request (one row per request, rewritten on each transition), kept beside
/// the grain state so lists and figures are SQL queries over recorded data, not scans of grains.
/// The grain's own state stays the source of truth: a failed write here is repeated with the next transition.
/// </summary>
public interface IRequestLedger
{
    /// <summary>Inserts or replaces the request's row with the view's values (ignored if an older version arrives late).</summary>
    Task RecordAsync(HelpRequestView request, CancellationToken cancellationToken = default);
}
