using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Outreach.Cluster;
using Outreach.Dispatch;
using Outreach.Files;
using Outreach.Model;
using Outreach.Reach;
using Outreach.Web.Audit;
using Outreach.Web.Auth;
using Outreach.Web.Infrastructure;
using Outreach.Web.Live;
using Outreach.Contracts;

namespace Outreach.Web.Dispatch;

/// <summary>Help requests: intake, the claim, progress, and what coordinators and operators do to them.</summary>
public static class RequestEndpoints
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static IEndpointRouteBuilder MapRequestEndpoints(this IEndpointRouteBuilder app)
    {
        var requests = app.MapGroup("/api/requests").WithTags("Requests").RequireAuthorization();
        requests.MapPost("/", Submit).RequireAuthorization(Policies.Hotline);
        requests.MapGet("/{id:guid}", Get);
        requests.MapGet("/{id:guid}/timeline", Timeline).RequireAuthorization(Policies.Hotline);
        requests.MapGet("/{id:guid}/deliveries", Deliveries).RequireAuthorization(Policies.Coordinator);
        requests.MapGet("/{id:guid}/candidates", Candidates).RequireAuthorization(Policies.Coordinator);
        requests.MapPost("/{id:guid}/claim", Claim).RequireAuthorization(Policies.Volunteer);
        requests.MapPost("/{id:guid}/status", Advance).RequireAuthorization(Policies.Volunteer);
        requests.MapPost("/{id:guid}/release", Release).RequireAuthorization(Policies.Volunteer);
        requests.MapPost("/{id:guid}/assign", Assign).RequireAuthorization(Policies.Coordinator);
        requests.MapPost("/{id:guid}/reoffer", Reoffer).RequireAuthorization(Policies.Coordinator);
        requests.MapPost("/{id:guid}/cancel", Cancel).RequireAuthorization(Policies.Hotline);
        requests.MapPost("/{id:guid}/followup", FollowUp).RequireAuthorization(Policies.Hotline);
        requests.MapPost("/{id:guid}/notes", AddNote).RequireAuthorization(Policies.Hotline);
        return app;
    }

    private static async Task<Results<Created<IntakeResponse>, ValidationProblem>> Submit(
        NewRequestBody body, HttpContext http, ClaimsPrincipal user, IGrainFactory grains)
    {
        var key = CreateIds.KeyOf(http.Request, out var keyProblem);
        if (keyProblem is not null)
            return keyProblem;
        if (body.WorkerId is { } workerId && await grains.GetGrain<IFamilyFileGrain>(workerId).GetAsync() is null)
            return Problems.Field("workerId", $"There is no family file {workerId}.");

        var id = RequestIds.For(user.AccountId(), key);
        // The intake writes the request's personal fields (caller's phone, address, description): its audit row is
        // written by the statement that stores the request, so a request is never stored without it.
        var audited = AuditLog.LineOf(user, AuditActions.RequestCreate, AuditActions.Request, "intake");
        // The id is fixed before the first attempt, so a submit refused because a silo is gone (the request placed on
        // a silo that died a moment ago) is made again here instead of answering 503: the same request, never two.
        var attempts = 0;
        var request = body.ToRequest();
        var result = await ClusterRetry.RunAsync(() =>
        {
            attempts++;
            return grains.Get<IHelpRequestGrain>(id).SubmitAsync(request, user.ToActor(), audited);
        }, TimeProvider.System);
        // After a refused attempt, "already there" may be that attempt's own work (stored, then its answer lost).
        var created = result.Created || attempts > 1;
        if (!created)
            http.Response.Headers["Idempotent-Replayed"] = "true";
        var view = result.Request;
        return TypedResults.Created($"/api/requests/{view.Id}",
            new IntakeResponse(view.Id, view.Status, view.StationId, view.OfferedCount, view.CreatedAt));
    }

    /// <summary>
    /// Staff see the whole request. A volunteer sees it whole only while it is their current job (assignee; Claimed,
    /// EnRoute or OnSite); before that only the masked offer, while it is offered to them; after (completed,
    /// cancelled) the masked view. Every whole view is recorded in the audit before it is answered.
    /// </summary>
    private static async Task<Results<Ok<RequestDto>, Ok<OfferDto>, Ok<MaskedRequestDto>, NotFound<ProblemDetails>>> Get(
        Guid id, ClaimsPrincipal user, IGrainFactory grains, IAuditLog audit)
    {
        var grain = grains.Get<IHelpRequestGrain>(id);
        var view = await grain.GetAsync();
        if (view is not null && RequestVisibility.SeesWhole(user, view))
        {
            await audit.RecordAsync(user, AuditActions.RequestRead, AuditActions.Request, id, FullView);
            return TypedResults.Ok(RequestDto.From(view));
        }
        if (RequestVisibility.IsStaff(user))
            return NotFound(id);
        var volunteerId = user.VolunteerIdOf() ?? Guid.Empty;
        if (view is not null && volunteerId != Guid.Empty && view.AssignedVolunteerId == volunteerId)
            return TypedResults.Ok(MaskedRequestDto.From(view));
        return await grain.GetOfferAsync(volunteerId) is { } offer
            ? TypedResults.Ok(OfferDto.From(offer))
            : NotFound(id);
    }

    private static async Task<Results<Ok<TimelineEntry[]>, NotFound<ProblemDetails>>> Timeline(Guid id, IGrainFactory grains)
    {
        var grain = grains.Get<IHelpRequestGrain>(id);
        return await grain.GetAsync() is null ? NotFound(id) : TypedResults.Ok(await grain.GetTimelineAsync());
    }

    /// <summary>What was tried to reach people about the request, and what each channel answered (coordinators).</summary>
    private static async Task<Results<Ok<DeliveryDto[]>, NotFound<ProblemDetails>>> Deliveries(Guid id, IGrainFactory grains)
    {
        if (await grains.Get<IHelpRequestGrain>(id).GetAsync() is null)
            return NotFound(id);
        var records = await grains.Get<IRequestReachGrain>(id).GetDeliveriesAsync();
        return TypedResults.Ok(records.Select(DeliveryDto.From).ToArray());
    }

    private static async Task<Results<Ok<Candidate[]>, NotFound<ProblemDetails>>> Candidates(Guid id, IGrainFactory grains)
    {
        var grain = grains.Get<IHelpRequestGrain>(id);
        return await grain.GetAsync() is null ? NotFound(id) : TypedResults.Ok(await grain.GetCandidatesAsync());
    }

    private static async Task<IResult> Claim(Guid id, ClaimsPrincipal user, IGrainFactory grains, IAuditLog audit) =>
        await AnswerAsync(user, audit, await grains.Get<IHelpRequestGrain>(id).ClaimAsync(user.ToActor(), WinnersRead(user)));

    /// <summary>
    /// The audit row of a claim's winner reading the whole request (their answer), for the claim's own write to store
    /// with it: the winner's answer then waits for one commit (<see cref="DispatchResult.ReadAudited"/>).
    /// </summary>
    internal static AuditLine WinnersRead(ClaimsPrincipal user) =>
        AuditLog.LineOf(user, AuditActions.RequestRead, AuditActions.Request, FullView);

    private const string FullView = "full view";

    private static async Task<IResult> Advance(Guid id, StatusBody body, ClaimsPrincipal user, IGrainFactory grains, IAuditLog audit)
    {
        if (body.Status is not (RequestStatus.EnRoute or RequestStatus.OnSite or RequestStatus.Completed))
            return Problems.Field("status", "A volunteer reports EnRoute, OnSite or Completed.");
        return await AnswerAsync(user, audit, await grains.Get<IHelpRequestGrain>(id).AdvanceAsync(user.ToActor(), body.Status, Clean(body.Note)));
    }

    private static async Task<IResult> Release(Guid id, ReasonBody body, ClaimsPrincipal user, IGrainFactory grains, IAuditLog audit) =>
        await AnswerAsync(user, audit, await grains.Get<IHelpRequestGrain>(id).ReleaseAsync(user.ToActor(), body.Reason.Trim()));

    private static async Task<IResult> Assign(Guid id, AssignBody body, ClaimsPrincipal user, IGrainFactory grains, IAuditLog audit) =>
        await AnswerAsync(user, audit, await grains.Get<IHelpRequestGrain>(id).AssignAsync(user.ToActor(), body.VolunteerId, body.Force, Clean(body.Note)));

    /// <summary>The body is optional (<c>{ "note"? }</c>): a re-offer with none is a re-offer without a note.</summary>
    private static async Task<IResult> Reoffer(Guid id, NoteBody? body, ClaimsPrincipal user, IGrainFactory grains, IAuditLog audit) =>
        await AnswerAsync(user, audit, await grains.Get<IHelpRequestGrain>(id).ReofferAsync(user.ToActor(), Clean(body?.Note)));

    private static async Task<IResult> Cancel(Guid id, ReasonBody body, ClaimsPrincipal user, IGrainFactory grains, IAuditLog audit) =>
        await AnswerAsync(user, audit, await grains.Get<IHelpRequestGrain>(id).CancelAsync(user.ToActor(), body.Reason.Trim()));

    private static async Task<IResult> FollowUp(Guid id, FollowUpBody body, ClaimsPrincipal user, IGrainFactory grains, IAuditLog audit) =>
        await AnswerAsync(user, audit, await grains.Get<IHelpRequestGrain>(id).FollowUpAsync(user.ToActor(), body.Satisfied, body.Rating, Clean(body.Note)));

    private static async Task<IResult> AddNote(Guid id, NoteBody body, ClaimsPrincipal user, IGrainFactory grains, IAuditLog audit)
    {
        if (Clean(body.Note) is not { } note)
            return Problems.Field("note", "A note needs some text.");
        return await AnswerAsync(user, audit, await grains.Get<IHelpRequestGrain>(id).AddNoteAsync(user.ToActor(), note));
    }

    /// <summary>
    /// The HTTP form of a dispatch outcome: 200 with the request — whole (recorded in the audit) to staff and to the
    /// volunteer whose current job it is, masked to a volunteer it no longer concerns (completed, released) — or a
    /// ProblemDetails with the reason.
    /// </summary>
    internal static async Task<IResult> AnswerAsync(ClaimsPrincipal user, IAuditLog audit, DispatchResult result)
    {
        var reply = await ReplyAsync(user, audit, result);
        return reply.Body is ProblemDetails problem ? TypedResults.Problem(problem) : TypedResults.Ok(reply.Body);
    }

    /// <summary>
    /// The live hub's form of a dispatch outcome (its <c>Claim</c>): the same status and body as the HTTP answer — the
    /// request whole (recorded in the audit) or masked, or the ProblemDetails of the refusal.
    /// </summary>
    internal static async Task<LiveReply> ReplyAsync(ClaimsPrincipal user, IAuditLog audit, DispatchResult result)
    {
        if (result.Outcome != DispatchOutcome.Ok)
            return LiveReplies.Problem(Refusal(result));
        var view = result.Request!;
        if (!RequestVisibility.SeesWhole(user, view))
            return LiveReplies.Ok(MaskedRequestDto.From(view));
        if (!result.ReadAudited)
            await audit.RecordAsync(user, AuditActions.RequestRead, AuditActions.Request, view.Id, FullView);
        return LiveReplies.Ok(RequestDto.From(view));
    }

    /// <summary>Why a dispatch outcome was refused, as a ProblemDetails (HTTP and the live hub alike).</summary>
    private static ProblemDetails Refusal(DispatchResult result) => result.Outcome switch
    {
        DispatchOutcome.NotFound => Problem(StatusCodes.Status404NotFound, "Not found.", result.Detail),
        DispatchOutcome.Forbidden => Problem(StatusCodes.Status403Forbidden, "Not allowed.", result.Detail),
        DispatchOutcome.NeedsConfirmation => Problem(StatusCodes.Status409Conflict, "Needs confirmation.", result.Detail,
            ("needsConfirmation", true)),
        var outcome => Problem(StatusCodes.Status409Conflict, Title(outcome), result.Detail,
            ("outcome", outcome.ToString()), ("requestStatus", result.RequestStatus?.ToString())),
    };

    private static ProblemDetails Problem(int status, string title, string? detail, params (string Name, object? Value)[] extensions)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        foreach (var (name, value) in extensions)
            problem.Extensions[name] = value;
        return problem;
    }

    private static string Title(DispatchOutcome outcome) => outcome switch
    {
        DispatchOutcome.AlreadyTaken => "Already taken.",
        DispatchOutcome.NotOpen => "Not open.",
        DispatchOutcome.AtCapacity => "At capacity.",
        _ => "Not possible now.",
    };

    private static NotFound<ProblemDetails> NotFound(Guid id) => Problems.NotFound($"There is no request {id} that you can see.");

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
