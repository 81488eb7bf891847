using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Outreach.Files;
using Outreach.Model;
using Outreach.Stations;
using Outreach.Volunteers;
using Outreach.Web.Auth;
using Outreach.Web.Infrastructure;
using Outreach.Cluster;

namespace Outreach.Web.Volunteers;

/// <summary>The volunteer roster (coordinators) and a volunteer's own duty and position (the volunteer).</summary>
public static class VolunteerEndpoints
{
    public static IEndpointRouteBuilder MapVolunteerEndpoints(this IEndpointRouteBuilder app)
    {
        var roster = app.MapGroup("/api/volunteers").WithTags("Volunteers");
        roster.MapGet("/", List).RequireAuthorization(Policies.Coordinator);
        roster.MapGet("/{id:guid}", Get).RequireAuthorization(Policies.Coordinator);
        roster.MapPost("/", Create).RequireAuthorization(Policies.Coordinator);
        roster.MapPut("/{id:guid}", Update).RequireAuthorization(Policies.Coordinator);
        roster.MapVolunteerPicker();

        var me = roster.MapGroup("/me").RequireAuthorization(Policies.Volunteer);
        me.MapGet("/", GetMe);
        me.MapPost("/duty", SetDuty);
        me.MapPost("/position", ReportPosition);
        me.MapPut("/sms-offers", SetSmsOffers);
        return app;
    }

    private static async Task<Ok<VolunteerSummary[]>> List(IGrainFactory grains)
    {
        var shards = await grains.ListDirectoryAsync<VolunteerSummary>(DirectoryShards.Volunteers);
        return TypedResults.Ok(shards.OrderBy(v => v.Name, StringComparer.Ordinal).ToArray());
    }

    private static async Task<Results<Ok<VolunteerResponse>, NotFound<ProblemDetails>>> Get(Guid id, IGrainFactory grains) =>
        await grains.Get<IVolunteerGrain>(id).GetAsync() is { } view
            ? TypedResults.Ok(VolunteerResponse.From(view))
            : Problems.NotFound($"There is no volunteer {id}.");

    /// <summary>Creates a volunteer; with an <c>Idempotency-Key</c> a retry answers the same id instead of creating another (<see cref="CreateIds"/>).</summary>
    private static async Task<Results<Created<CreatedId>, ValidationProblem>> Create(VolunteerRequest request, HttpContext http, IGrainFactory grains)
    {
        var id = CreateIds.For("volunteer", http, out var keyed, out var keyProblem);
        if (keyProblem is not null)
            return keyProblem;
        if (await CheckStationAsync(request.HomeStationId, grains) is { } problem)
            return problem;
        if (await grains.Get<IVolunteerGrain>(id).CreateAsync(request.ToProfile()) is null)
        {
            if (!keyed)
                throw new InvalidOperationException($"A fresh volunteer id {id} was already taken.");
            CreateIds.MarkReplayed(http.Response);
        }
        return TypedResults.Created($"/api/volunteers/{id}", new CreatedId(id));
    }

    private static async Task<Results<Ok<VolunteerResponse>, ValidationProblem, NotFound<ProblemDetails>>> Update(
        Guid id, VolunteerRequest request, IGrainFactory grains)
    {
        if (await CheckStationAsync(request.HomeStationId, grains) is { } problem)
            return problem;
        return await grains.Get<IVolunteerGrain>(id).UpdateProfileAsync(request.ToProfile()) is { } view
            ? TypedResults.Ok(VolunteerResponse.From(view))
            : Problems.NotFound($"There is no volunteer {id}.");
    }

    private static async Task<Results<Ok<VolunteerResponse>, NotFound<ProblemDetails>>> GetMe(ClaimsPrincipal user, IGrainFactory grains) =>
        Found(await Me(user, grains).GetAsync());

    private static async Task<Results<Ok<VolunteerResponse>, NotFound<ProblemDetails>>> SetDuty(
        DutyRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        Found(await Me(user, grains).SetDutyAsync(request.OnDuty));

    private static async Task<Results<Ok<VolunteerResponse>, NotFound<ProblemDetails>>> ReportPosition(
        PositionReport report, ClaimsPrincipal user, IGrainFactory grains, WebMetrics metrics)
    {
        var view = await Me(user, grains).ReportPositionAsync(new GeoPoint(report.Lat, report.Lon), report.AccuracyM);
        metrics.PositionReported();
        return Found(view);
    }

    private static async Task<Results<Ok<VolunteerResponse>, NotFound<ProblemDetails>>> SetSmsOffers(
        SmsOffersRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        Found(await Me(user, grains).SetSmsOffersAsync(request.Enabled));

    private static IVolunteerGrain Me(ClaimsPrincipal user, IGrainFactory grains) =>
        grains.Get<IVolunteerGrain>(user.VolunteerIdOf() ?? throw new InvalidOperationException("The policy admits volunteers only."));

    private static Results<Ok<VolunteerResponse>, NotFound<ProblemDetails>> Found(VolunteerView? view) =>
        view is not null
            ? TypedResults.Ok(VolunteerResponse.From(view))
            : Problems.NotFound("This account's volunteer record does not exist.");

    private static async Task<ValidationProblem?> CheckStationAsync(Guid? stationId, IGrainFactory grains) =>
        stationId is { } id && await grains.GetGrain<IStationGrain>(id).GetAsync() is null
            ? Problems.Field("homeStationId", $"There is no station {id}.")
            : null;
}
