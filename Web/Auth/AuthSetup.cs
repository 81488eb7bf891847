using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Outreach.Accounts;
using Outreach.Web.Security;

namespace Outreach.Web.Auth;

/// <summary>
/// Cookie login for pages, the API and the hub (the API answers 401/403 instead of redirecting), sessions that end
/// (idle, absolute, revoked), the login throttle and rate limits, forwarded headers behind a proxy and the encrypted
/// data-protection key ring.
/// </summary>
public static class AuthSetup
{
    /// <summary>The cookie's name in Development (plain http on 127.0.0.1: tests, <c>run.sh</c>).</summary>
    public const string DevelopmentCookieName = "outreach.auth";

    /// <summary>
    /// The cookie's name everywhere else: the <c>__Host-</c> prefix makes browsers keep it only when it is Secure,
    /// has path <c>/</c> and no domain, so no other host or path can plant or shadow it.
    /// </summary>
    public const string CookieName = "__Host-outreach.auth";

    public static WebApplicationBuilder AddOutreachAuth(this WebApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<SessionOptions>().BindConfiguration(SessionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<LoginBackoffOptions>().BindConfiguration(LoginBackoffOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<LoginBackoff>();
        builder.Services.AddSingleton<AccountStatus>();
        builder.Services.AddSingleton<HubSessions>();
        builder.Services.AddSingleton<SessionSweeper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SessionSweeper>());
        builder.Services.AddSingleton<SessionRevocations>();
        builder.Services.Configure<HubOptions>(o => o.AddFilter<SessionHubFilter>());
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<SessionOptions>>((o, sessions) =>
            {
                o.Cookie.Name = development ? DevelopmentCookieName : CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.Path = "/";
                o.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                o.ExpireTimeSpan = sessions.Value.IdleTimeout;
                o.SlidingExpiration = true;
                o.LoginPath = "/login";
                o.Events.OnRedirectToLogin = ctx => Deny(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => Deny(ctx, StatusCodes.Status403Forbidden);
                o.Events.OnValidatePrincipal = EndOutdatedSessionsAsync;
            });
        // After the cookie handler's own post-configuration, which makes the ticket format from the key ring.
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .PostConfigure<TimeProvider>((o, clock) => o.TicketDataFormat = new RememberedTickets(o.TicketDataFormat, clock));
        builder.Services.AddOutreachPolicies();
        builder.Services.AddOutreachRateLimits();
        builder.Services.AddSingleton<IPasswordHasher<Account>, PasswordHasher<Account>>();
        // The benchmark's city logs in 20,000 volunteers before it measures; in Development only, it may lower PBKDF2's
        // iterations (Outreach:PasswordHasher:IterationCount) for the accounts it made with the same count. Everywhere
        // else the library's default (100,000, HMAC-SHA512) holds whatever the configuration says.
        if (development)
            builder.Services.Configure<PasswordHasherOptions>(builder.Configuration.GetSection("Outreach:PasswordHasher"));
        builder.AddOutreachForwardedHeaders();
        builder.AddOutreachKeyProtection();
        return builder;
    }

    /// <summary>The rate limiter, after authentication (per-account limits need the user) and before the endpoints.</summary>
    public static IApplicationBuilder UseOutreachRateLimits(this IApplicationBuilder app) => app.UseRateLimiter();

    private static Task Deny(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (IsApi(ctx.Request))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A session ends at its next request when it is older than the absolute lifetime, carries no stamp (issued before
    /// stamps existed) or a stamp the account no longer has (password, roles or disabled flag changed, or "log out
    /// everywhere"), or the account is disabled, removed or replaced, or when this session logged out.
    /// </summary>
    private static async Task EndOutdatedSessionsAsync(CookieValidatePrincipalContext ctx)
    {
        var services = ctx.HttpContext.RequestServices;
        var principal = ctx.Principal;
        var login = principal?.FindFirst(OutreachClaims.Login)?.Value;
        var stamp = principal?.FindFirst(OutreachClaims.Stamp)?.Value;
        var lifetime = services.GetRequiredService<IOptions<SessionOptions>>().Value.AbsoluteLifetime;
        var current = login is not null && stamp is not null
            && Guid.TryParse(principal?.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value, out var accountId)
            && long.TryParse(principal?.FindFirst(OutreachClaims.IssuedAt)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var issued)
            && services.GetRequiredService<TimeProvider>().GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(issued) <= lifetime
            && await services.GetRequiredService<AccountStatus>().IsCurrentAsync(login, accountId, stamp,
                principal?.FindFirst(OutreachClaims.Session)?.Value);
        if (!current)
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    private static bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs");
}
