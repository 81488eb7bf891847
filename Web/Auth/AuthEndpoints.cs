using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Outreach.Accounts;

namespace Outreach.Web.Auth;

/// <summary>Body of <c>POST /api/auth/login</c>.</summary>
public sealed record LoginRequest([Required, StringLength(64)] string Login, [Required, StringLength(128)] string Password);

/// <summary>Who is signed in.</summary>
public sealed record MeResponse(Guid Id, string Login, string Name, string[] Roles, Guid? VolunteerId);

/// <summary>Login, logout and who-am-I.</summary>
public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Auth");
        auth.MapPost("/login", Login).AllowAnonymous();
        auth.MapPost("/logout", (Delegate)Logout).AllowAnonymous();
        app.MapGet("/api/me", Me).WithTags("Auth").RequireAuthorization();
        return app;
    }

    private static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> Login(
        LoginRequest request, HttpContext http, IGrainFactory grains, IPasswordHasher<Account> hasher, LoginThrottle throttle)
    {
        if (throttle.RetryAfter(request.Login) is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed logins.",
                detail: $"Too many wrong passwords for this login; try again in {Math.Ceiling(wait.TotalMinutes)} min.",
                extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds });
        }
        var accountGrain = grains.GetGrain<IAccountGrain>(AccountKeys.For(request.Login));
        var account = await accountGrain.GetAsync();
        var verdict = account is null
            ? PasswordVerificationResult.Failed
            : hasher.VerifyHashedPassword(account, account.PasswordHash, request.Password);
        if (account is null || verdict == PasswordVerificationResult.Failed)
        {
            throttle.Failed(request.Login);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized,
                title: "Login failed.", detail: "Wrong login or password.");
        }
        if (account.Disabled)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
                title: "Account disabled.", detail: "This account is disabled; ask an administrator.");
        }
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
            account = await accountGrain.UpsertAsync(account with { PasswordHash = hasher.HashPassword(account, request.Password) });

        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, ToPrincipal(account));
        return TypedResults.Ok(ToMe(account));
    }

    private static async Task<NoContent> Logout(HttpContext http)
    {
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
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

    private static ClaimsPrincipal ToPrincipal(Account account)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, account.Id.ToString()),
            new(ClaimTypes.Name, account.Name),
            new(OutreachClaims.Login, account.Login),
        };
        claims.AddRange(account.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        if (account.VolunteerId is { } volunteer)
            claims.Add(new Claim(OutreachClaims.VolunteerId, volunteer.ToString()));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }
}
