using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Outreach.Web.Auth;

/// <summary>
/// Requests per minute (a sliding window of <see cref="Window"/> in six steps) before answers are 429
/// (configuration section <c>Outreach:RateLimits</c>). Raise them for an office behind one address or a benchmark.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Outreach:RateLimits";

    /// <summary>The window the numbers below count in.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Login attempts (right or wrong) from one client address (after forwarded headers).</summary>
    [Range(1, 1_000_000)]
    public int LoginPerAddress { get; set; } = 60;

    /// <summary><c>POST /api/requests</c> per account.</summary>
    [Range(1, 1_000_000)]
    public int Intake { get; set; } = 30;

    /// <summary><c>POST /api/requests/{id}/claim</c> per account.</summary>
    [Range(1, 1_000_000)]
    public int Claim { get; set; } = 30;

    /// <summary><c>POST /api/volunteers/me/position</c> per account.</summary>
    [Range(1, 1_000_000)]
    public int Position { get; set; } = 120;

    /// <summary>
    /// "This device showed the offer" (<c>POST /api/volunteers/me/offers/{id}/seen</c>, the hub's <c>Seen</c>) per
    /// account: a volunteer in a busy city is shown a few offers a minute, on the page and by push.
    /// </summary>
    [Range(1, 1_000_000)]
    public int Seen { get; set; } = 300;

    /// <summary><c>POST /api/requests/{id}/notes</c> per account.</summary>
    [Range(1, 1_000_000)]
    public int Notes { get; set; } = 60;

    /// <summary>The family's status link (<c>GET /s/{token}</c>, <c>GET /api/status/{token}</c>) per client address.</summary>
    [Range(1, 1_000_000)]
    public int StatusPerAddress { get; set; } = 120;

    /// <summary>The SMS provider's callback (<c>POST /api/sms/inbound/{provider}</c>) per client address.</summary>
    [Range(1, 1_000_000)]
    public int SmsInboundPerAddress { get; set; } = 300;
}

/// <summary>
/// ASP.NET Core's rate limiter for the routes a guesser or a runaway client would hammer: login per client address
/// (policy <see cref="Login"/>), and intake, claims, position reports and notes per account (a global limiter that
/// recognises those routes by their route pattern, so the features' endpoint files need not know). A refusal is 429
/// with <c>Retry-After</c> and a ProblemDetails carrying <c>retryAfterSeconds</c>.
/// </summary>
public static class RateLimits
{
    /// <summary>The policy of <c>POST /api/auth/login</c>.</summary>
    public const string Login = "login-per-address";

    /// <summary>The policy of the family's status link (page and JSON).</summary>
    public const string Status = "status-per-address";

    /// <summary>The policy of the SMS provider's callback.</summary>
    public const string SmsInbound = "sms-inbound-per-address";

    private static readonly (string Method, string Pattern, AccountLimit Kind)[] PerAccount =
    [
        (HttpMethods.Post, "/api/requests", AccountLimit.Intake),
        (HttpMethods.Post, "/api/requests/{id:guid}/claim", AccountLimit.Claim),
        (HttpMethods.Post, "/api/requests/{id:guid}/notes", AccountLimit.Notes),
        (HttpMethods.Post, "/api/volunteers/me/position", AccountLimit.Position),
        (HttpMethods.Post, "/api/volunteers/me/offers/{requestId:guid}/seen", AccountLimit.Seen),
    ];

    public static IServiceCollection AddOutreachRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AccountRateLimits>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>, AccountRateLimits>((o, limits, accounts) =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = RejectAsync;
            o.AddPolicy(Login, http => Window(
                "login:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"), limits.Value.LoginPerAddress, limits.Value));
            o.AddPolicy(Status, http => Window(
                "status:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"), limits.Value.StatusPerAddress, limits.Value));
            o.AddPolicy(SmsInbound, http => Window(
                "sms-inbound:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"), limits.Value.SmsInboundPerAddress, limits.Value));
            // The per-account windows are the ones the live hub's Claim, ReportPosition and Seen count in too.
            o.GlobalLimiter = accounts.Limiter.WithTranslatedKey<HttpContext>(PerAccountKey, leaveOpen: true);
        });
        return services;
    }

    /// <summary>The per-account window a request counts in (<c>kind:account</c>), or "" for none.</summary>
    private static string PerAccountKey(HttpContext http)
    {
        if (http.GetEndpoint() is RouteEndpoint endpoint
            && http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } account)
        {
            var pattern = endpoint.RoutePattern.RawText?.TrimEnd('/');
            foreach (var (method, route, kind) in PerAccount)
            {
                if (HttpMethods.Equals(http.Request.Method, method) && string.Equals(pattern, route, StringComparison.OrdinalIgnoreCase))
                    return AccountRateLimits.Key(kind, account);
            }
        }
        return "";
    }

    /// <summary>
    /// The sliding window of <paramref name="permits"/> for <paramref name="key"/>. Asked on every counted call (the
    /// limiter finds the key's window by it), so the window's factory is made once per size, not once per call. The
    /// windows do not replenish themselves: the partitioned limiter's one timer moves them all on (as the library's own
    /// <c>RateLimitPartition.GetSlidingWindowLimiter</c> sets them up), not a timer per account.
    /// </summary>
    internal static RateLimitPartition<string> Window(string key, int permits, RateLimitOptions limits) =>
        new(key, WindowFactories.GetOrAdd((permits, limits.Window), static size =>
        {
            var options = new SlidingWindowRateLimiterOptions
            {
                PermitLimit = size.Permits,
                Window = size.Window,
                SegmentsPerWindow = 6,
                QueueLimit = 0,
                AutoReplenishment = false,
            };
            return _ => new SlidingWindowRateLimiter(options);
        }));

    private static readonly ConcurrentDictionary<(int Permits, TimeSpan Window), Func<string, RateLimiter>> WindowFactories = new();

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(10);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests.",
                Detail = $"Too many requests of this kind; try again in {seconds} s.",
                Extensions = { ["retryAfterSeconds"] = seconds },
            },
        });
    }
}

/// <summary>What a per-account window counts.</summary>
public enum AccountLimit
{
    Intake,
    Claim,
    Notes,
    Position,
    Seen,
}

/// <summary>
/// The per-account sliding windows (intake, claims, notes, position reports), one set for the node: an HTTP request and
/// the same act on the live hub (a claim or a position report sent on the page's connection) count in the same window.
/// </summary>
public sealed class AccountRateLimits : IDisposable
{
    private readonly IOptions<RateLimitOptions> _options;

    public AccountRateLimits(IOptions<RateLimitOptions> options)
    {
        _options = options;
        Limiter = PartitionedRateLimiter.Create<string, string>(Partition);
    }

    /// <summary>Keyed <c>kind:account</c> (<see cref="Key"/>); the empty key is never limited.</summary>
    public PartitionedRateLimiter<string> Limiter { get; }

    public static string Key(AccountLimit kind, string account) =>
        string.Create(CultureInfo.InvariantCulture, $"{kind}:{account}");

    /// <summary>
    /// Takes one permit of <paramref name="kind"/> for the user's account: null when granted, else how long to wait
    /// (at least a second).
    /// </summary>
    public TimeSpan? Refuse(AccountLimit kind, ClaimsPrincipal user)
    {
        var account = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("An account's act without an account.");
        using var lease = Limiter.AttemptAcquire(Key(kind, account));
        if (lease.IsAcquired)
            return null;
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(10);
        return wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait;
    }

    public void Dispose() => Limiter.Dispose();

    private RateLimitPartition<string> Partition(string key)
    {
        var limits = _options.Value;
        var kind = key.AsSpan(0, Math.Max(0, key.IndexOf(':', StringComparison.Ordinal)));
        int? permits = kind switch
        {
            nameof(AccountLimit.Intake) => limits.Intake,
            nameof(AccountLimit.Claim) => limits.Claim,
            nameof(AccountLimit.Notes) => limits.Notes,
            nameof(AccountLimit.Position) => limits.Position,
            nameof(AccountLimit.Seen) => limits.Seen,
            _ => null,
        };
        return permits is { } limit ? RateLimits.Window(key, limit, limits) : RateLimitPartition.GetNoLimiter("");
    }
}
