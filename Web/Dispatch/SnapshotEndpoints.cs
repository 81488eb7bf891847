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
using Outreach.Web.Stations;

namespace Outreach.Web.Dispatch;

/// <summary>A volunteer on the coordinators' map.</summary>
public sealed record MapVolunteer(
    Guid VolunteerId, string Name, PositionDto? Position, bool OnDuty, DateTimeOffset? At,
    HelpCategory[] Skills, TravelMode TravelMode, Guid? HomeStationId, int Load, int Capacity);

/// <summary>Everything the live map shows, as of <see cref="Seq"/>: apply hub events with a higher seq on top.</summary>
public sealed record MapSnapshot(long Seq, StationResponse[] Stations, MapVolunteer[] Volunteers, RequestDto[] Requests);

/// <summary>
/// The starting points a reconnecting page reloads before applying live events again: the coordinators'
/// map and a volunteer's open offers.
/// </summary>
public static class SnapshotEndpoints
{
    public static IEndpointRouteBuilder MapSnapshotEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/map/snapshot", Snapshot).WithTags("Map").RequireAuthorization(Policies.Coordinator);
        app.MapGet("/api/volunteers/me/offers", MyOffers).WithTags("Volunteers").RequireAuthorization(Policies.Volunteer);
        app.MapGet("/api/volunteers/me/assignments", MyAssignments).WithTags("Volunteers").RequireAuthorization(Policies.Volunteer);
        return app;
    }

    private static async Task<Ok<MapSnapshot>> Snapshot(IGrainFactory grains, DispatchQueries queries, LiveRelay relay,
        IAuditLog audit, ClaimsPrincipal user)
    {
        // Read the sequence first: whatever changes while the snapshot is gathered arrives again as an event.
        var seq = relay.CurrentSeq;
        var stationsTask = grains.ListDirectoryAsync<StationView>(DirectoryShards.Stations);
        var volunteersTask = grains.ListDirectoryAsync<VolunteerSummary>(DirectoryShards.Volunteers);
        var rowsTask = queries.ListAsync(DispatchQueries.Open, stationId: null, since: null, DispatchQueries.MaxRows);

        var onDuty = (await volunteersTask).Where(v => v.OnDuty).ToArray();
        var volunteers = await Task.WhenAll(onDuty.Select(v => grains.GetGrain<IVolunteerGrain>(v.Id).GetAsync()));
        var requests = await Task.WhenAll((await rowsTask).Select(r => grains.GetGrain<IHelpRequestGrain>(r.Id).GetAsync()));

        var open = requests.OfType<HelpRequestView>().Where(r => r.ClosedAt is null).OrderBy(r => r.CreatedAt).ToArray();
        // One row for the whole map (it is reloaded on every reconnect); the requests' ids are in the ledger.
        await audit.RecordAsync(user, AuditActions.MapSnapshot, AuditActions.Map, null, $"{open.Length} open requests, full view");
        return TypedResults.Ok(new MapSnapshot(
            seq,
            [.. (await stationsTask).OrderBy(s => s.Info.Name, StringComparer.Ordinal).Select(s => StationResponse.From(s, withRobots: true))],
            [.. volunteers.OfType<VolunteerView>().Where(v => v.OnDuty).Select(ToMap)],
            [.. open.Select(RequestDto.From)]));
    }

    /// <summary>The offers open to the signed-in volunteer, newest first, from the offers index the request grains keep.</summary>
    private static async Task<Ok<OfferDto[]>> MyOffers(ClaimsPrincipal user, DispatchQueries queries)
    {
        var offers = await queries.OffersForAsync(user.VolunteerIdOf()!.Value);
        return TypedResults.Ok(offers.Select(OfferDto.From).ToArray());
    }

    /// <summary>
    /// The requests that are the signed-in volunteer's current jobs (assigned to them; Claimed, EnRoute or OnSite), whole;
    /// each one recorded in the audit.
    /// </summary>
    private static async Task<Ok<RequestDto[]>> MyAssignments(ClaimsPrincipal user, IGrainFactory grains, IAuditLog audit)
    {
        var volunteerId = user.VolunteerIdOf()!.Value;
        var me = await grains.GetGrain<IVolunteerGrain>(volunteerId).GetAsync();
        var requests = await Task.WhenAll((me?.ActiveRequests ?? []).Select(id => grains.GetGrain<IHelpRequestGrain>(id).GetAsync()));
        var mine = requests.OfType<HelpRequestView>()
            .Where(r => RequestVisibility.IsCurrentJobOf(r, volunteerId))
            .OrderBy(r => r.ClaimedAt).ToArray();
        await audit.RecordAsync(user, [.. mine.Select(r => new AuditEntry(AuditActions.RequestRead, AuditActions.Request, r.Id, "assignment"))]);
        return TypedResults.Ok(mine.Select(RequestDto.From).ToArray());
    }

    private static MapVolunteer ToMap(VolunteerView v) => new(
        v.Id, v.Profile.Name, v.LastPosition is { } p ? PositionDto.From(p.Position) : null, v.OnDuty, v.LastPosition?.At,
        v.Profile.Skills, v.Profile.TravelMode, v.Profile.HomeStationId, v.ActiveRequests?.Length ?? 0, v.Profile.Capacity);

}
