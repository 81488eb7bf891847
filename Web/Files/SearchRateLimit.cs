using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Outreach.Web.Files;

/// <summary>Settings of the search limit (<c>Outreach:Search</c>).</summary>
public sealed class SearchRateLimitOptions
{
    public const string Section = "Outreach:Search";

    /// <summary>Searches and phone lookups one account may make per <see cref="Window"/>.</summary>
    public int PermitLimit { get; set; } = 30;

    /// <summary>The window the limit counts over (a fixed window per account).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// The rate-limiting policy <see cref="Policy"/>: file searches (<c>GET /api/workers?q=</c>) and phone lookups
/// (<c>POST /api/workers/lookup</c>) per account, so nobody walks the files by trying texts or numbers in turn.
/// Listing pages without a search is not limited. Over the limit: 429 ProblemDetails with <c>Retry-After</c>.
/// Counted in each web node's memory.
/// </summary>
public sealed class SearchRateLimit(Microsoft.Extensions.Options.IOptions<SearchRateLimitOptions> options) : IRateLimiterPolicy<string>
{
    /// <summary>The policy's name, for <c>RequireRateLimiting</c>.</summary>
    public const string Policy = "search";

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var request = httpContext.Request;
        if (HttpMethods.IsGet(request.Method) && string.IsNullOrWhiteSpace(request.Query["q"]))
            return RateLimitPartition.GetNoLimiter("list");
        var account = httpContext.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous";
        var settings = options.Value;
        return RateLimitPartition.GetFixedWindowLimiter(account, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = settings.PermitLimit,
            Window = settings.Window,
            QueueLimit = 0,
        });
    }

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 60;
        response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many searches.",
            Detail = $"Too many searches or phone lookups in a short time; try again in {retryAfter} s.",
            Extensions = { ["retryAfterSeconds"] = retryAfter },
        };
        await response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", cancellationToken);
    }
}

/// <summary>Registration of the search limit (its own call, beside the other rate limits).</summary>
public static class SearchRateLimitSetup
{
    public static IServiceCollection AddSearchRateLimit(this IServiceCollection services)
    {
        services.AddOptions<SearchRateLimitOptions>().BindConfiguration(SearchRateLimitOptions.Section);
        services.AddRateLimiter(o => o.AddPolicy<string, SearchRateLimit>(SearchRateLimit.Policy));
        return services;
    }
}
