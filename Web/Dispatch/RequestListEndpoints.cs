using Microsoft.AspNetCore.Http.HttpResults;
using Outreach.Web.Auth;
using Outreach.Web.Infrastructure;

namespace Outreach.Web.Dispatch;

/// <summary>The request list (<c>GET /api/requests?status=open|all&amp;stationId=&amp;since=</c>) for the hotline and coordinators.</summary>
public static class RequestListEndpoints
{
    public static IEndpointRouteBuilder MapRequestListEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/requests", List).WithTags("Requests").RequireAuthorization(Policies.Hotline);
        return app;
    }

    /// <summary>Newest first, at most 500: open requests (default) or all, optionally one station's, created since a time.</summary>
    private static async Task<Results<Ok<RequestRow[]>, ValidationProblem>> List(
        string? status, Guid? stationId, string? since, DispatchQueries queries, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(status))
            status = DispatchQueries.Open;
        if (!DispatchQueries.IsStatusFilter(status))
            return Problems.Field("status", $"'{status}' is not a status filter; use '{DispatchQueries.Open}' or '{DispatchQueries.All}'.");
        DateTimeOffset? from = null;
        if (!string.IsNullOrWhiteSpace(since))
        {
            if (!IsoTime.TryParse(since, out var parsed))
                return Problems.Field("since", $"'{since}' is not an ISO-8601 time such as 2026-11-05T00:00:00Z.");
            from = parsed;
        }

        return TypedResults.Ok(await queries.ListAsync(status, stationId, from, DispatchQueries.MaxRows, cancellationToken));
    }
}
