using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Outreach.Accounts;

namespace Outreach.Web.Auth;

/// <summary>Cookie login for pages, the API and the hub; the API answers 401/403 instead of redirecting.</summary>
public static class AuthSetup
{
    public static WebApplicationBuilder AddOutreachAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LoginThrottleOptions>().BindConfiguration(LoginThrottleOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<LoginThrottle>();
        builder.Services.AddSingleton<AccountStatus>();
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "outreach.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.SlidingExpiration = true;
                o.LoginPath = "/login";
                o.Events.OnRedirectToLogin = ctx => Deny(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => Deny(ctx, StatusCodes.Status403Forbidden);
                o.Events.OnValidatePrincipal = EndSessionsOfDisabledAccountsAsync;
            });
        builder.Services.AddOutreachPolicies();
        builder.Services.AddSingleton<IPasswordHasher<Account>, PasswordHasher<Account>>();
        return builder;
    }

    private static Task Deny(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (IsApi(ctx.Request))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>A session whose account was disabled (or removed, or replaced) ends at its next request.</summary>
    private static async Task EndSessionsOfDisabledAccountsAsync(CookieValidatePrincipalContext ctx)
    {
        var login = ctx.Principal?.FindFirst(OutreachClaims.Login)?.Value;
        var id = ctx.Principal?.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
        var status = ctx.HttpContext.RequestServices.GetRequiredService<AccountStatus>();
        if (login is null || !Guid.TryParse(id, out var accountId) || !await status.IsActiveAsync(login, accountId))
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    private static bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs");
}
