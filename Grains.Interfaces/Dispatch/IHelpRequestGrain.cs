using Orleans.Concurrency;
using Outreach.Model;

namespace Outreach.Dispatch;

/// <summary>
/// The single arbiter of one help request's lifecycle; key: the request id. Every decision (above all the
/// claim) is taken here, one call at a time, and persisted before the caller hears the answer.
/// </summary>
[Alias("Outreach.IHelpRequestGrain")]
public interface IHelpRequestGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Records the request and offers it to the volunteers in its circle; a repeat returns the request as it is.
    /// <paramref name="audit"/>: the audit row of the intake, written in the same statement as the request when this
    /// call creates it (a repeat writes none: the creation was recorded with it).
    /// </summary>
    [Alias("Submit")]
    Task<SubmitResult> SubmitAsync(NewHelpRequest request, Actor actor, AuditLine? audit = null);

    /// <summary>The full view, or null when there is no request under this id.</summary>
    [Alias("Get")]
    Task<HelpRequestView?> GetAsync();

    /// <summary>
    /// The volunteer who carries the request now (claimed, en route or on site), else null. Answered even while a
    /// command is under way, from the last stored state, so a volunteer checking their load never waits on a claim.
    /// </summary>
    [AlwaysInterleave, Alias("GetAssignee")]
    Task<Guid?> GetAssigneeAsync();

    /// <summary>What <paramref name="volunteerId"/> may see: the offer while it is open to them, else null.</summary>
    [Alias("GetOffer")]
    Task<OfferView?> GetOfferAsync(Guid volunteerId);

    /// <summary>
    /// The volunteer claims the request (抢单): the first claim wins, every later one is told it is taken. Interleaves
    /// with the call under way so that, once a claim is decided, the others are answered without waiting for its write;
    /// the grain still decides claims one at a time. <paramref name="read"/>: the audit row of the winner's read of the
    /// whole request (the answer carries it), written in the statement that stores the claim, so the winner's answer
    /// waits for one commit, not two (<see cref="DispatchResult.ReadAudited"/>); a refusal or a repeat writes none.
    /// </summary>
    [AlwaysInterleave, Alias("Claim")]
    Task<DispatchResult> ClaimAsync(Actor volunteer, AuditLine? read = null);

    /// <summary>The assigned volunteer reports progress: EnRoute, then OnSite, then Completed.</summary>
    [Alias("Advance")]
    Task<DispatchResult> AdvanceAsync(Actor volunteer, RequestStatus to, string? note);

    /// <summary>The assigned volunteer cannot go: the request is offered again, not to them.</summary>
    [Alias("Release")]
    Task<DispatchResult> ReleaseAsync(Actor volunteer, string reason);

    /// <summary>A coordinator gives the request to a volunteer; <paramref name="force"/> overrides duty and skill checks.</summary>
    [Alias("Assign")]
    Task<DispatchResult> AssignAsync(Actor coordinator, Guid volunteerId, bool force, string? note);

    /// <summary>Withdraws an open request.</summary>
    [Alias("Cancel")]
    Task<DispatchResult> CancelAsync(Actor actor, string reason);

    /// <summary>Records the call-back; a family that is not satisfied gets the request reopened and offered again.</summary>
    [Alias("FollowUp")]
    Task<DispatchResult> FollowUpAsync(Actor actor, bool satisfied, int rating, string? note);

    /// <summary>A coordinator widens the circle and offers the request again now.</summary>
    [Alias("Reoffer")]
    Task<DispatchResult> ReofferAsync(Actor coordinator, string? note);

    /// <summary>A coordinator adds a note to the timeline.</summary>
    [Alias("AddNote")]
    Task<DispatchResult> AddNoteAsync(Actor actor, string note);

    /// <summary>
    /// The deadline sweeper found the stored deadline run out: the request escalates (no claim in time) or lets its
    /// assignee go (not on the way in time); nothing happens when no deadline is due any more. Safe to call again.
    /// </summary>
    Task DeadlineDueAsync();

    /// <summary>Every recorded transition, oldest first.</summary>
    [Alias("GetTimeline")]
    Task<TimelineEntry[]> GetTimelineAsync();

    /// <summary>The volunteers who pass the circle test now, ranked by ETA (for a coordinator choosing whom to assign).</summary>
    [Alias("GetCandidates")]
    Task<Candidate[]> GetCandidatesAsync();
}
