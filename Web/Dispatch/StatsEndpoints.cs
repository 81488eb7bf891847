using Microsoft.AspNetCore.Http.HttpResults;
using Outreach.Files;
using Outreach.Stations;
using Outreach.Volunteers;
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
        string? since, DispatchQueries queries, IGrainFactory grains, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        DateTimeOffset from;
        if (string.IsNullOrWhiteSpace(since))
            from = IsoTime.StartOfChinaDay(now);
        else if (!IsoTime.TryParse(since, out from))
            return Problems.Field("since", $"'{since}' is not an ISO-8601 time such as 2026-11-05T00:00:00Z.");
        else if (from > now)
            return Problems.Field("since", $"'{since}' is in the future.");

        var stats = queries.StatsAsync(from, now, cancellationToken);
        var onDuty = OnDutyByStationAsync(grains);
        return TypedResults.Ok(await stats with { OnDutyByStation = await onDuty });
    }

    /// <summary>Volunteers on duty now, counted by their home station (those without one under a null id).</summary>
    private static async Task<StationDuty[]> OnDutyByStationAsync(IGrainFactory grains)
    {
        var stations = await grains.ListDirectoryAsync<StationView>(DirectoryShards.Stations);
        var volunteers = await grains.ListDirectoryAsync<VolunteerSummary>(DirectoryShards.Volunteers);
        var counts = volunteers.Where(v => v.OnDuty).GroupBy(v => v.HomeStationId).ToDictionary(g => g.Key ?? Guid.Empty, g => g.Count());
        var rows = stations.OrderBy(s => s.Info.Name, StringComparer.Ordinal)
            .Select(s => new StationDuty(s.Id, s.Info.Name, counts.GetValueOrDefault(s.Id))).ToList();
        if (counts.TryGetValue(Guid.Empty, out var withoutStation))
            rows.Add(new StationDuty(null, null, withoutStation));
        return [.. rows];
    }
}
