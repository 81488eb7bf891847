using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.Mvc;
using Outreach.Contracts;
using Outreach.Dispatch;
using Outreach.Volunteers;
using Outreach.Web.Audit;
using Outreach.Model;
using Outreach.Web.Dispatch;
using Outreach.Web.Auth;
using Outreach.Web.Infrastructure;
using Outreach.Web.Push;
using Outreach.Cluster;

namespace Outreach.Web.Live;

/// <summary>
/// The live channel of every page (<c>/hubs/live</c>). Connections join groups by who they are, and the
/// web node relays grain events to those groups; the hub itself only files connections.
/// </summary>
[Authorize]
public sealed class LiveHub(
    WebMetrics metrics, MapWatchers maps, VolunteerWork work, IGrainFactory grains, IAuditLog audit, AccountRateLimits limits,
    OfferAcknowledgements acknowledgements, VolunteerConnections volunteers, LiveConnections connections, ILogger<LiveHub> log) : Hub
{
    public override async Task OnConnectedAsync()
    {
        // Counted before it joins its groups: the relay never skips an event a group here would have carried.
        var volunteer = Context.User!.VolunteerIdOf();
        if (volunteer is { } opened)
            volunteers.Opened(opened);
        var groups = GroupsOf(Context.User!).ToList();
        try
        {
            foreach (var group in groups)
                await Groups.AddToGroupAsync(Context.ConnectionId, group);
        }
        catch when (volunteer is { } failed)
        {
            volunteers.Closed(failed);
            throw;
        }
        connections.Joined(Context, groups);
        metrics.Connected(KindOf(Context.User!));
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.User!.VolunteerIdOf() is { } volunteer)
            volunteers.Closed(volunteer);
        maps.Forget(Context.ConnectionId);
        connections.Left(Context, GroupsOf(Context.User!));
        metrics.Disconnected(KindOf(Context.User!));
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>
    /// The coordinators' map: the box this connection's map shows and how (<c>markers</c> or <c>clusters</c>, as
    /// <c>GET /api/map/view</c> answered). Moves inside the box then arrive as <c>volunteersMoved</c>, at most once a
    /// second, when it draws markers; moves elsewhere do not reach it.
    /// </summary>
    [Authorize(Policy = Policies.Coordinator)]
    public void WatchMap(double south, double west, double north, double east, string mode)
    {
        if (!(double.IsFinite(south) && double.IsFinite(north) && double.IsFinite(west) && double.IsFinite(east))
            || Math.Abs(south) > 90 || Math.Abs(north) > 90 || Math.Abs(west) > 180 || Math.Abs(east) > 180 || south > north || west > east)
            throw new HubException("WatchMap: south ≤ north within ±90 and west ≤ east within ±180 degrees.");
        if (mode is not ("markers" or "clusters"))
            throw new HubException("WatchMap: mode is 'markers' or 'clusters'.");
        maps.Watch(Context.ConnectionId, new MapWatch(new MapBox(south, west, north, east), mode == "markers"));
    }

    /// <summary>
    /// A volunteer's page after every (re)connect: their record, open offers and current jobs in one answer on the
    /// connection it already has (<see cref="VolunteerWork.ResyncAsync"/>) instead of three HTTP requests — a web node
    /// restart makes every phone on it ask at once. Events that arrive meanwhile carry a seq, as with the HTTP reads.
    /// </summary>
    [Authorize(Policy = Policies.Volunteer)]
    public async Task<VolunteerResync> Resync() =>
        await work.ResyncAsync(Context.User!, Context.ConnectionAborted)
        ?? throw new HubException("This account's volunteer record does not exist.");

    /// <summary>
    /// A claim on the connection the page already has (<c>POST /api/requests/{id}/claim</c> without a new HTTP request):
    /// the same decision, answer and audit, counted in the same per-account window. The winner's answer still waits for
    /// the request's write; the race's other claims are answered at once.
    /// </summary>
    [Authorize(Policy = Policies.Volunteer)]
    public async Task<LiveReply> Claim(Guid requestId)
    {
        var user = Context.User!;
        if (limits.Refuse(AccountLimit.Claim, user) is { } wait)
            return LiveReplies.TooMany(wait);
        return await LiveReplies.RunAsync(
            async () => await RequestEndpoints.ReplyAsync(user, audit, await grains.Get<IHelpRequestGrain>(requestId).ClaimAsync(user.ToActor(), RequestEndpoints.WinnersRead(user))),
            log, nameof(Claim));
    }

    /// <summary>
    /// A position report on the connection (<c>POST /api/volunteers/me/position</c>): the same checks (400 naming the
    /// field, nothing changed), the same answer (the volunteer's record) and the same per-account window.
    /// </summary>
    [Authorize(Policy = Policies.Volunteer)]
    public async Task<LiveReply> ReportPosition(PositionReport report)
    {
        var user = Context.User!;
        if (report is null)
            return LiveReplies.Problem(new ProblemDetails { Status = StatusCodes.Status400BadRequest, Title = "A position report is required." });
        if (LiveReplies.Invalid(report) is { } invalid)
            return invalid;
        if (limits.Refuse(AccountLimit.Position, user) is { } wait)
            return LiveReplies.TooMany(wait);
        return await LiveReplies.RunAsync(async () =>
        {
            var volunteer = user.VolunteerIdOf() ?? throw new InvalidOperationException("The policy admits volunteers only.");
            var view = await grains.Get<IVolunteerGrain>(volunteer).ReportPositionAsync(new GeoPoint(report.Lat, report.Lon), report.AccuracyM);
            if (view is null)
                return LiveReplies.Problem(new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = "Not found.",
                    Detail = "This account's volunteer record does not exist." });
            metrics.PositionReported();
            return LiveReplies.Ok(VolunteerResponse.From(view));
        }, log, nameof(ReportPosition));
    }

    /// <summary>
    /// "This page showed the offer" (<c>POST /api/volunteers/me/offers/{id}/seen</c> on the connection): 202 at once —
    /// it joins the request's other acknowledgements and reaches the delivery record within a moment, only while the
    /// offer is open to the caller (<see cref="OfferAcknowledgements"/>). Not waiting keeps the connection's next act
    /// (a claim) from queueing behind it. 400 <c>channel</c> for a word other than <c>socket</c> or <c>push</c>; 429 past
    /// the account's window (<c>Outreach:RateLimits:Seen</c>, shared with the API's route).
    /// </summary>
    [Authorize(Policy = Policies.Volunteer)]
    public LiveReply Seen(Guid requestId, string? channel)
    {
        if (PushEndpoints.SeenChannel(channel) is not { } reached)
            return LiveReplies.Field("channel", PushEndpoints.SeenChannelRule);
        var user = Context.User!;
        if (limits.Refuse(AccountLimit.Seen, user) is { } wait)
            return LiveReplies.TooMany(wait);
        var volunteer = user.VolunteerIdOf() ?? throw new InvalidOperationException("The policy admits volunteers only.");
        _ = acknowledgements.AcknowledgeAsync(requestId, volunteer, reached); // a failure is logged where the batch is told
        return new LiveReply(StatusCodes.Status202Accepted, null);
    }

    /// <summary>The kind of user a connection is counted as: volunteer, coordinator or operator.</summary>
    private static string KindOf(ClaimsPrincipal user) =>
        user.VolunteerIdOf() is not null ? "volunteer"
        : user.IsInRole(Roles.Coordinator) || user.IsInRole(Roles.Admin) ? "coordinator"
        : "operator";

    /// <summary>The groups a user's connections belong to.</summary>
    internal static IEnumerable<string> GroupsOf(ClaimsPrincipal user)
    {
        yield return LiveGroups.Account(user.AccountId());
        if (user.VolunteerIdOf() is { } volunteer)
            yield return LiveGroups.Volunteer(volunteer);
        if (user.IsInRole(Roles.Coordinator) || user.IsInRole(Roles.Admin))
            yield return LiveGroups.Coordinators;
    }
}
