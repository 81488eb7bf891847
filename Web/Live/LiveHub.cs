using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Outreach.Model;
using Outreach.Web.Auth;
using Outreach.Web.Infrastructure;

namespace Outreach.Web.Live;

/// <summary>
/// The live channel of every page (<c>/hubs/live</c>). Connections join groups by who they are, and the
/// web node relays grain events to those groups; the hub itself only files connections.
/// </summary>
[Authorize]
public sealed class LiveHub(WebMetrics metrics) : Hub
{
    public override async Task OnConnectedAsync()
    {
        foreach (var group in GroupsOf(Context.User!))
            await Groups.AddToGroupAsync(Context.ConnectionId, group);
        metrics.Connected(KindOf(Context.User!));
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        metrics.Disconnected(KindOf(Context.User!));
        return base.OnDisconnectedAsync(exception);
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
