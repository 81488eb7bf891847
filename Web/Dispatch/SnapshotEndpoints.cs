using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Outreach.Dispatch;
using Outreach.Files;
using Outreach.Model;
using Outreach.Stations;
using Outreach.Volunteers;
using Outreach.Web.Audit;
using Outreach.Web.Auth;
using Outreach.Web.Live;
using Outreach.Cluster;

namespace Outreach.Web.Dispatch;

/// <summary>
/// The starting points a reconnecting page reloads before applying live events again: the coordinators'
/// map and a volunteer's open offers and jobs.
/// </summary>
public static class SnapshotEndpoints
{
    /// <summary>The most open requests one snapshot page carries.</summary>
    public const int PageSize = RequestTable.MaxRows;

    public static IEndpointRouteBuilder MapSnapshotEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/map/snapshot", Snapshot).WithTags("Map").RequireAuthorization(Policies.Coordinator);
        app.MapGet("/api/volunteers/me/offers", MyOffers).WithTags("Volunteers").RequireAuthorization(Policies.Volunteer);
        app.MapGet("/api/volunteers/me/assignments", MyAssignments).WithTags("Volunteers").RequireAuthorization(Policies.Volunteer);
        return app;
    }

    /// <summary>
    /// The stations and one page of the open requests (<paramref name="after"/>: the <c>next</c> of the previous page):
    /// every open request is on some page, however many there are.
    /// </summary>
    private static async Task<Ok<MapSnapshot>> Snapshot(Guid? after, IGrainFactory grains, DispatchQueries queries, LiveRelay relay,
        IAuditLog audit, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        // Read the sequence first: whatever changes while the snapshot is gathered arrives again as an event.
        var seq = relay.CurrentSeq;
        var stationsTask = grains.ListDirectoryAsync<StationView>(DirectoryShards.Stations);
        // One more than a page: whether there is a next page.
        var ids = await queries.OpenPageAsync(after, PageSize + 1, cancellationToken);
        var page = ids.Length > PageSize ? ids[..PageSize] : ids;
        var requests = await Task.WhenAll(page.Select(id => grains.Get<IHelpRequestGrain>(id).GetAsync()));

        var open = requests.OfType<HelpRequestView>().Where(r => r.ClosedAt is null).ToArray();
        // One row per page (it is reloaded on every reconnect); the requests' ids are in the ledger.
        await audit.RecordAsync(user, AuditActions.MapSnapshot, AuditActions.Map, null,
            $"{open.Length} open requests, {(after is null ? "first page" : "next page")}");
        return TypedResults.Ok(new MapSnapshot(
            seq,
            [.. (await stationsTask).OrderBy(s => s.Info.Name, StringComparer.Ordinal).Select(s => StationResponse.From(s, withRobots: true))],
            [.. open.Select(RequestDto.From)],
            ids.Length > PageSize ? page[^1] : null));
    }

    /// <summary>The offers open to the signed-in volunteer, newest first, from the offers index the request grains keep.</summary>
    private static async Task<Ok<OfferDto[]>> MyOffers(ClaimsPrincipal user, VolunteerWork work, CancellationToken cancellationToken) =>
        TypedResults.Ok(await work.OffersAsync(user.VolunteerIdOf()!.Value, cancellationToken));

    /// <summary>
    /// The requests that are the signed-in volunteer's current jobs (assigned to them; Claimed, EnRoute or OnSite), whole;
    /// each one recorded in the audit. The cost is what this volunteer has, not the open requests (<see cref="VolunteerWork"/>).
    /// </summary>
    private static async Task<Ok<RequestDto[]>> MyAssignments(ClaimsPrincipal user, VolunteerWork work, CancellationToken cancellationToken) =>
        TypedResults.Ok(await work.AssignmentsAsync(user, cancellationToken));
}
