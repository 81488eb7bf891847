using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Options;
using Outreach.Accounts;
using Outreach.Reach;
using Outreach.Web.Infrastructure;

namespace Outreach.Web.Auth;

/// <summary>Login, logout (here or everywhere), one's own password, and who-am-I.</summary>
public static class AuthEndpoints
{
    /// <summary>What an unknown login's password is checked against, so it costs what a known one does.</summary>
    private static readonly Account Nobody = new(Guid.Empty, "", "", [], "", null);

    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Auth");
        auth.MapPost("/login", Login).AllowAnonymous().RequireRateLimiting(RateLimits.Login);
        auth.MapPost("/logout", (Delegate)Logout).AllowAnonymous();
        auth.MapPost("/logout-everywhere", LogoutEverywhere).RequireAuthorization();
        auth.MapPost("/password", ChangePassword).RequireAuthorization();
        app.MapGet("/api/me", Me).WithTags("Auth").RequireAuthorization();
        return app;
    }

    private static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> Login(
        LoginRequest request, HttpContext http, IGrainFactory grains, IPasswordHasher<Account> hasher, LoginBackoff backoff, TimeProvider clock)
    {
        if (backoff.RetryAfter(request.Login) is { } wait)
            return TooManyFailures(http, wait);
        var accountGrain = grains.GetGrain<IAccountGrain>(AccountKeys.For(request.Login));
        var account = await accountGrain.GetAsync();
        var verdict = Verify(hasher, account, request.Password);
        if (account is null || verdict == PasswordVerificationResult.Failed)
        {
            backoff.Failed(request.Login);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized,
                title: "Login failed.", detail: "Wrong login or password.");
        }
        backoff.Succeeded(request.Login);
        if (account.Disabled)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
                title: "Account disabled.", detail: "This account is disabled; ask an administrator.");
        }
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
            account = await accountGrain.RehashAsync(account.PasswordHash, hasher.HashPassword(account, request.Password)) ?? account;

        await SignInAsync(http, account, clock);
        return TypedResults.Ok(ToMe(account));
    }

    /// <summary>
    /// Ends this session on the server first (its id listed with the account, every web node told: a copy of the
    /// cookie is refused from then on), then clears the cookie. A fault there is a 503 and the cookie stays, so the
    /// retry ends it. A cookie of a session that is over already, or none, is just cleared. The body is optional:
    /// <c>{ "pushEndpoint" }</c>, this browser's push subscription, forgotten with the session's own devices.
    /// </summary>
    private static async Task<Results<NoContent, ValidationProblem>> Logout(
        HttpContext http, IGrainFactory grains, IOptions<SessionOptions> sessions,
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] LogoutRequest? body)
    {
        var user = http.User;
        if (body?.PushEndpoint is { } endpoint && (string.IsNullOrWhiteSpace(endpoint) || endpoint.Length > PushEndpointRule.MaxLength))
            return Problems.Field("pushEndpoint", "A push endpoint, when given, is not blank and at most 2048 characters.");
        // The browsers this session subscribed to Web Push get no more offers, nor this one whichever session subscribed
        // it (the page unsubscribes too, once the session has ended).
        await Push.PushEndpoints.ForgetSessionDevicesAsync(user, grains, body?.PushEndpoint);
        if (user.Identity?.IsAuthenticated == true
            && user.FindFirstValue(OutreachClaims.Session) is { Length: > 0 } session
            && user.FindFirstValue(OutreachClaims.Login) is { } login
            && long.TryParse(user.FindFirstValue(OutreachClaims.IssuedAt), NumberStyles.None, CultureInfo.InvariantCulture, out var issued))
        {
            var expires = DateTimeOffset.FromUnixTimeSeconds(issued) + sessions.Value.AbsoluteLifetime;
            await grains.GetGrain<IAccountGrain>(AccountKeys.For(login)).EndSessionAsync(session, expires);
        }
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    /// <summary>Ends every session of the caller's account, on every web node, this one included.</summary>
    private static async Task<NoContent> LogoutEverywhere(HttpContext http, ClaimsPrincipal user, IGrainFactory grains)
    {
        var login = user.FindFirstValue(OutreachClaims.Login) ?? "";
        await grains.GetGrain<IAccountGrain>(AccountKeys.For(login)).EndSessionsAsync();
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// The caller changes their own password: the current one must be right (a wrong one counts as a failed login), the
    /// new one must pass <see cref="PasswordPolicy"/>. Every other session of the account ends; this one gets a new cookie.
    /// </summary>
    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePassword(
        ChangePasswordRequest request, HttpContext http, ClaimsPrincipal user, IGrainFactory grains,
        IPasswordHasher<Account> hasher, LoginBackoff backoff, TimeProvider clock)
    {
        var login = user.FindFirstValue(OutreachClaims.Login) ?? "";
        if (backoff.RetryAfter(login) is { } wait)
            return TooManyFailures(http, wait);
        var grain = grains.GetGrain<IAccountGrain>(AccountKeys.For(login));
        var account = await grain.GetAsync();
        if (account is null || Verify(hasher, account, request.CurrentPassword) == PasswordVerificationResult.Failed)
        {
            backoff.Failed(login);
            return Problems.Field("currentPassword", "This is not the current password.");
        }
        if (PasswordPolicy.Refusal(account.Login, request.NewPassword) is { } refusal)
            return Problems.Field("newPassword", refusal);
        var saved = await grain.UpsertAsync(account with { PasswordHash = hasher.HashPassword(account, request.NewPassword) });
        await SignInAsync(http, saved, clock);
        return TypedResults.NoContent();
    }

    private static Ok<MeResponse> Me(ClaimsPrincipal user) => TypedResults.Ok(new MeResponse(
        user.AccountId(),
        user.FindFirstValue(OutreachClaims.Login) ?? "",
        user.Identity?.Name ?? "",
        user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToArray(),
        user.VolunteerIdOf()));

    internal static MeResponse ToMe(Account account) =>
        new(account.Id, account.Login, account.Name, account.Roles, account.VolunteerId);

    /// <summary>Checks a password; for an unknown login against a dummy hash, so the answer takes as long.</summary>
    private static PasswordVerificationResult Verify(IPasswordHasher<Account> hasher, Account? account, string password)
    {
        if (account is not null)
            return hasher.VerifyHashedPassword(account, account.PasswordHash, password);
        hasher.VerifyHashedPassword(Nobody, DummyHash.For(hasher), password);
        return PasswordVerificationResult.Failed;
    }

    private static ProblemHttpResult TooManyFailures(HttpContext http, TimeSpan wait)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed logins.",
            detail: $"Too many wrong passwords for this login; try again in {seconds} s.",
            extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds });
    }

    private static Task SignInAsync(HttpContext http, Account account, TimeProvider clock) =>
        http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, ToPrincipal(account, clock.GetUtcNow()));

    private static ClaimsPrincipal ToPrincipal(Account account, DateTimeOffset issuedAt)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, account.Id.ToString()),
            new(ClaimTypes.Name, account.Name),
            new(OutreachClaims.Login, account.Login),
            new(OutreachClaims.Stamp, account.SecurityStamp),
            new(OutreachClaims.IssuedAt, issuedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            new(OutreachClaims.Session, Guid.NewGuid().ToString("N")),
        };
        claims.AddRange(account.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        if (account.VolunteerId is { } volunteer)
            claims.Add(new Claim(OutreachClaims.VolunteerId, volunteer.ToString()));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    /// <summary>One hash of a random password per hasher, made once.</summary>
    private static class DummyHash
    {
        private static string? _hash;

        public static string For(IPasswordHasher<Account> hasher) =>
            _hash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString("N"));
    }
}
