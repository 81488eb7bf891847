using Microsoft.AspNetCore.Authorization;
using Outreach.Model;

namespace Outreach.Web.Auth;

/// <summary>
/// Authorization policies by what a route does. Administrators pass every staff policy; only a
/// volunteer account (tied to a volunteer) passes <see cref="Volunteer"/>.
/// </summary>
public static class Policies
{
    /// <summary>Hotline work: family files, intake, follow-up.</summary>
    public const string Hotline = "hotline";

    /// <summary>Coordination: rosters, stations, the live map.</summary>
    public const string Coordinator = "coordinator";

    /// <summary>A volunteer acting for themselves.</summary>
    public const string Volunteer = "volunteer";

    /// <summary>Accounts.</summary>
    public const string Admin = "admin";

    public static IServiceCollection AddOutreachPolicies(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(Hotline, p => p.RequireRole(Roles.Operator, Roles.Coordinator, Roles.Admin))
            .AddPolicy(Coordinator, p => p.RequireRole(Roles.Coordinator, Roles.Admin))
            .AddPolicy(Volunteer, p => p.RequireRole(Roles.Volunteer).RequireClaim(OutreachClaims.VolunteerId))
            .AddPolicy(Admin, p => p.RequireRole(Roles.Admin))
            // A route that names no policy and is not marked AllowAnonymous needs a login (login page and API,
            // health and the landing redirect are marked; static files are served before authorization).
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return services;
    }
}
