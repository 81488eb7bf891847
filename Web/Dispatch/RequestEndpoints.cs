using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Outreach.Dispatch;
using Outreach.Files;
using Outreach.Model;
using Outreach.Web.Auth;
using Outreach.Web.Infrastructure;

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
        var key = http.Request.Headers[IdempotencyHeader].ToString();
        if (key.Length > 0 && !RequestIds.IsValidKey(key))
            return Problems.Field(IdempotencyHeader, $"An idempotency key is 1 to {RequestIds.MaxKeyLength} visible ASCII characters.");
        if (body.WorkerId is { } workerId && await grains.GetGrain<IWorkerGrain>(workerId).GetAsync() is null)
            return Problems.Field("workerId", $"There is no family file {workerId}.");

        var id = RequestIds.For(user.AccountId(), key);
        var result = await grains.GetGrain<IHelpRequestGrain>(id).SubmitAsync(body.ToRequest(), user.ToActor());
        if (!result.Created)
            http.Response.Headers["Idempotent-Replayed"] = "true";
        var view = result.Request;
        return TypedResults.Created($"/api/requests/{view.Id}",
            new IntakeResponse(view.Id, view.Status, view.StationId, view.OfferedCount, view.CreatedAt));
    }

    /// <summary>
    /// Staff see the whole request. A volunteer sees it whole once it is theirs; before that only the
    /// masked offer, and only while it is offered to them.
    /// </summary>
    private static async Task<Results<Ok<RequestDto>, Ok<OfferDto>, NotFound<ProblemDetails>>> Get(
        Guid id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var grain = grains.GetGrain<IHelpRequestGrain>(id);
        if (!IsStaff(user))
        {
            var volunteerId = user.VolunteerIdOf() ?? Guid.Empty;
            var view = await grain.GetAsync();
            if (view is not null && view.AssignedVolunteerId == volunteerId && volunteerId != Guid.Empty)
                return TypedResults.Ok(RequestDto.From(view));
            return await grain.GetOfferAsync(volunteerId) is { } offer
                ? TypedResults.Ok(OfferDto.From(offer))
                : NotFound(id);
        }
        return await grain.GetAsync() is { } request ? TypedResults.Ok(RequestDto.From(request)) : NotFound(id);
    }

    private static async Task<Results<Ok<TimelineEntry[]>, NotFound<ProblemDetails>>> Timeline(Guid id, IGrainFactory grains)
    {
        var grain = grains.GetGrain<IHelpRequestGrain>(id);
        return await grain.GetAsync() is null ? NotFound(id) : TypedResults.Ok(await grain.GetTimelineAsync());
    }

    private static async Task<Results<Ok<Candidate[]>, NotFound<ProblemDetails>>> Candidates(Guid id, IGrainFactory grains)
    {
        var grain = grains.GetGrain<IHelpRequestGrain>(id);
        return await grain.GetAsync() is null ? NotFound(id) : TypedResults.Ok(await grain.GetCandidatesAsync());
    }

    private static async Task<IResult> Claim(Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
        Answer(await grains.GetGrain<IHelpRequestGrain>(id).ClaimAsync(user.ToActor()));

    private static async Task<IResult> Advance(Guid id, StatusBody body, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (body.Status is not (RequestStatus.EnRoute or RequestStatus.OnSite or RequestStatus.Completed))
            return Problems.Field("status", "A volunteer reports EnRoute, OnSite or Completed.");
        return Answer(await grains.GetGrain<IHelpRequestGrain>(id).AdvanceAsync(user.ToActor(), body.Status, Clean(body.Note)));
    }

    private static async Task<IResult> Release(Guid id, ReasonBody body, ClaimsPrincipal user, IGrainFactory grains) =>
        Answer(await grains.GetGrain<IHelpRequestGrain>(id).ReleaseAsync(user.ToActor(), body.Reason.Trim()));

    private static async Task<IResult> Assign(Guid id, AssignBody body, ClaimsPrincipal user, IGrainFactory grains) =>
        Answer(await grains.GetGrain<IHelpRequestGrain>(id).AssignAsync(user.ToActor(), body.VolunteerId, body.Force, Clean(body.Note)));

    private static async Task<IResult> Reoffer(Guid id, NoteBody body, ClaimsPrincipal user, IGrainFactory grains) =>
        Answer(await grains.GetGrain<IHelpRequestGrain>(id).ReofferAsync(user.ToActor(), Clean(body.Note)));

    private static async Task<IResult> Cancel(Guid id, ReasonBody body, ClaimsPrincipal user, IGrainFactory grains) =>
        Answer(await grains.GetGrain<IHelpRequestGrain>(id).CancelAsync(user.ToActor(), body.Reason.Trim()));

    private static async Task<IResult> FollowUp(Guid id, FollowUpBody body, ClaimsPrincipal user, IGrainFactory grains) =>
        Answer(await grains.GetGrain<IHelpRequestGrain>(id).FollowUpAsync(user.ToActor(), body.Satisfied, body.Rating, Clean(body.Note)));

    private static async Task<IResult> AddNote(Guid id, NoteBody body, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (Clean(body.Note) is not { } note)
            return Problems.Field("note", "A note needs some text.");
        return Answer(await grains.GetGrain<IHelpRequestGrain>(id).AddNoteAsync(user.ToActor(), note));
    }

    /// <summary>The HTTP form of a dispatch outcome: 200 with the request, or a ProblemDetails with the reason.</summary>
    internal static IResult Answer(DispatchResult result) => result.Outcome switch
    {
        DispatchOutcome.Ok => TypedResults.Ok(RequestDto.From(result.Request!)),
        DispatchOutcome.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: result.Detail),
        DispatchOutcome.Forbidden => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed.", detail: result.Detail),
        DispatchOutcome.NeedsConfirmation => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Needs confirmation.",
            detail: result.Detail, extensions: new Dictionary<string, object?> { ["needsConfirmation"] = true }),
        var outcome => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: Title(outcome), detail: result.Detail,
            extensions: new Dictionary<string, object?> { ["outcome"] = outcome.ToString(), ["requestStatus"] = result.Request?.Status.ToString() }),
    };

    private static string Title(DispatchOutcome outcome) => outcome switch
    {
        DispatchOutcome.AlreadyTaken => "Already taken.",
        DispatchOutcome.NotOpen => "Not open.",
        DispatchOutcome.AtCapacity => "At capacity.",
        _ => "Not possible now.",
    };

    private static bool IsStaff(ClaimsPrincipal user) =>
        user.IsInRole(Roles.Operator) || user.IsInRole(Roles.Coordinator) || user.IsInRole(Roles.Admin);

    private static NotFound<ProblemDetails> NotFound(Guid id) => Problems.NotFound($"There is no request {id} that you can see.");

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
