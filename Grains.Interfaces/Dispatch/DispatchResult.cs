using Outreach.Model;

namespace Outreach.Dispatch;

/// <summary>
/// The outcome of an action on a request, a human-readable reason, and the request afterwards: the whole view when the
/// action was done; when it was refused only the request's status (<see cref="RequestStatus"/>) — a race's forty-nine
/// losers are told "already taken", not sent the family's address and phone. <see cref="ReadAudited"/>: the audit row of
/// the caller's read of that view was written with the action's own write (a claim's winner), so none is owed.
/// </summary>
[GenerateSerializer, Immutable, Alias("Outreach.DispatchResult")]
public sealed record DispatchResult(
    [property: Id(0)] DispatchOutcome Outcome,
    [property: Id(1)] string? Detail,
    [property: Id(2)] HelpRequestView? Request,
    [property: Id(3)] RequestStatus? RefusedInStatus = null,
    [property: Id(4)] bool ReadAudited = false)
{
    public bool Succeeded => Outcome == DispatchOutcome.Ok;

    /// <summary>The request's status after the action (null when there is no such request).</summary>
    public RequestStatus? RequestStatus => Request?.Status ?? RefusedInStatus;

    /// <summary>A refusal: the reason and the status the request is in, without its view.</summary>
    public static DispatchResult Refused(DispatchOutcome outcome, string? detail, RequestStatus? status) =>
        new(outcome, detail, null, status);
}
