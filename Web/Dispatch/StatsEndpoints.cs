using Microsoft.AspNetCore.Http.HttpResults;
using Outreach.Web.Auth;
using Outreach.Web.Infrastructure;

namespace Outreach.Web.Dispatch;

/// <summary>The coordinator's figures (<c>GET /api/stats/dispatch?since=</c>), computed from the request ledger.</summary>
public static class StatsEndpoints
{
    public static IEndpointRouteBuilder MapStatsEndpoints(this IEndpointRouteBuilder app)
    {
        var stats = app.MapGroup("/api/stats").WithTags("Figures").RequireAuthorization(Policies.Coordinator);
        stats.MapGet("/dispatch", Dispatch);
        return app;
    }

    /// <summary>
    /// Figures over the requests created since <paramref name="since"/> (ISO-8601, not in the future); without it (or empty),
    /// since the start of today in China time (00:00 UTC+8).
    /// </summary>
    private static async Task<Results<Ok<DispatchStats>, ValidationProblem>> Dispatch(
        string? since, DispatchQueries queries, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        DateTimeOffset from;
        if (string.IsNullOrWhiteSpace(since))
            from = IsoTime.StartOfChinaDay(now);
        else if (!IsoTime.TryParse(since, out from))
            return Problems.Field("since", $"'{since}' is not an ISO-8601 time such as 2026-11-05T00:00:00Z.");
        else if (from > now)
            return Problems.Field("since", $"'{since}' is in the future.");

        return TypedResults.Ok(await queries.StatsAsync(from, now, cancellationToken));
    }
}
