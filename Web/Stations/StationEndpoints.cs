using Microsoft.AspNetCore.Http.HttpResults;
using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Outreach.Files;
using Outreach.Stations;
using Outreach.Web.Auth;
using Outreach.Web.Infrastructure;

namespace Outreach.Web.Stations;

/// <summary>
/// Stations (驿站): anyone signed in reads them; coordinators create and edit them, and alone see their group
/// robots (whose secrets no answer ever holds).
/// </summary>
public static class StationEndpoints
{
    public static IEndpointRouteBuilder MapStationEndpoints(this IEndpointRouteBuilder app)
    {
        var stations = app.MapGroup("/api/stations").WithTags("Stations").RequireAuthorization();
        stations.MapGet("/", List);
        stations.MapGet("/{id:guid}", Get);
        stations.MapPost("/", Create).RequireAuthorization(Policies.Coordinator);
        stations.MapPut("/{id:guid}", Update).RequireAuthorization(Policies.Coordinator);
        return app;
    }

    private static async Task<Ok<StationResponse[]>> List(IGrainFactory grains, ClaimsPrincipal user)
    {
        var shards = await grains.ListDirectoryAsync<StationView>(DirectoryShards.Stations);
        var withRobots = MaySeeRobots(user);
        return TypedResults.Ok(shards.OrderBy(s => s.Info.Name, StringComparer.Ordinal)
            .Select(s => StationResponse.From(s, withRobots)).ToArray());
    }

    private static async Task<Results<Ok<StationResponse>, NotFound<ProblemDetails>>> Get(Guid id, IGrainFactory grains, ClaimsPrincipal user) =>
        await grains.GetGrain<IStationGrain>(id).GetAsync() is { } view
            ? TypedResults.Ok(StationResponse.From(view, MaySeeRobots(user)))
            : Problems.NotFound($"There is no station {id}.");

    /// <summary>Creates a station; with an <c>Idempotency-Key</c> a retry answers the same id instead of creating another (<see cref="CreateIds"/>).</summary>
    private static async Task<Results<Created<CreatedId>, ValidationProblem>> Create(
        StationRequest request, HttpContext http, IGrainFactory grains, IOptions<RobotOptions> robotOptions)
    {
        var (robots, robotField, robotMessage) = request.ToRobots(robotOptions.Value);
        if (robotField is not null)
            return Problems.Field(robotField, robotMessage!);
        var id = CreateIds.For("station", http, out var keyed, out var problem);
        if (problem is not null)
            return problem;
        if (await grains.GetGrain<IStationGrain>(id).CreateAsync(request.ToInfo(), robots) is null)
        {
            if (!keyed)
                throw new InvalidOperationException($"A fresh station id {id} was already taken.");
            CreateIds.MarkReplayed(http.Response);
        }
        return TypedResults.Created($"/api/stations/{id}", new CreatedId(id));
    }

    /// <summary>Replaces the station; <c>robots</c> omitted keeps its robots, a robot without a secret keeps its stored secret.</summary>
    private static async Task<Results<Ok<StationResponse>, NotFound<ProblemDetails>, ValidationProblem>> Update(
        Guid id, StationRequest request, IGrainFactory grains, IOptions<RobotOptions> robotOptions)
    {
        var (robots, field, message) = request.ToRobots(robotOptions.Value);
        if (field is not null)
            return Problems.Field(field, message!);
        return await grains.GetGrain<IStationGrain>(id).UpdateAsync(request.ToInfo(), robots) is { } view
            ? TypedResults.Ok(StationResponse.From(view, withRobots: true))
            : Problems.NotFound($"There is no station {id}.");
    }

    /// <summary>Whether <paramref name="user"/> may see the stations' robots (coordinators and administrators).</summary>
    private static bool MaySeeRobots(ClaimsPrincipal user) =>
        user.IsInRole(Model.Roles.Coordinator) || user.IsInRole(Model.Roles.Admin);
}
