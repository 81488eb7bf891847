using System.Security.Claims;
using Outreach.Dispatch;
using Outreach.Model;
using Outreach.Web.Auth;

namespace Outreach.Web.Dispatch;

/// <summary>
/// Who sees a request whole. Staff (operator, coordinator, admin) always; a volunteer only while it is their current
/// job: they are the assignee and it is assigned (<see cref="Lifecycle.Assigned"/>). Before, an offer; after (completed, cancelled,
/// released, reassigned), the masked view.
/// </summary>
public static class RequestVisibility
{
    /// <summary>Whether <paramref name="volunteerId"/> needs the address and phone of <paramref name="view"/> now.</summary>
    public static bool IsCurrentJobOf(HelpRequestView view, Guid? volunteerId)
    {
        ArgumentNullException.ThrowIfNull(view);
        return volunteerId is { } id && id != Guid.Empty && view.AssignedVolunteerId == id
            && Lifecycle.IsAssigned(view.Status);
    }

    /// <summary>Whether the user is staff: operator, coordinator or admin.</summary>
    public static bool IsStaff(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(Roles.Operator) || user.IsInRole(Roles.Coordinator) || user.IsInRole(Roles.Admin);
    }

    /// <summary>Whether <paramref name="user"/> may see <paramref name="view"/> whole now.</summary>
    public static bool SeesWhole(ClaimsPrincipal user, HelpRequestView view) =>
        IsStaff(user) || IsCurrentJobOf(view, user.VolunteerIdOf());
}
