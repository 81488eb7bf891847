using System.Security.Claims;
using Outreach.Dispatch;

namespace Outreach.Web.Auth;

/// <summary>The claims our login cookie carries, and reading them back.</summary>
public static class OutreachClaims
{
    public const string Login = "outreach:login";
    public const string VolunteerId = "outreach:volunteer";

    /// <summary>The account's security stamp when the session was issued; a session with another stamp is over.</summary>
    public const string Stamp = "outreach:stamp";

    /// <summary>When the session was issued (Unix seconds); it ends <see cref="SessionOptions.AbsoluteLifetime"/> later.</summary>
    public const string IssuedAt = "outreach:issued";

    /// <summary>The session's own id (random, per login): logging out lists it with the account, which refuses it from then on.</summary>
    public const string Session = "outreach:session";

    /// <summary>The account id of the signed-in user.</summary>
    public static Guid AccountId(this ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not signed in."));

    /// <summary>The volunteer the signed-in account is tied to, if any.</summary>
    public static Guid? VolunteerIdOf(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(VolunteerId), out var id) ? id : null;

    /// <summary>How the user appears in audit trails: "name (login)".</summary>
    public static string Actor(this ClaimsPrincipal user) =>
        $"{user.Identity?.Name} ({user.FindFirstValue(Login)})";

    /// <summary>The user as the actor of a request's timeline.</summary>
    public static Actor ToActor(this ClaimsPrincipal user) => new(user.AccountId(), user.Identity?.Name ?? "", user.VolunteerIdOf());
}
