using System.Security.Claims;
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

    /// <summary>
    /// Newest first, at most 500: open requests (default), all, or completed ones awaiting their follow-up call;
    /// optionally one station's, one family's (<c>workerId</c>), the caller's own intakes (<c>mine=true</c>), created since a time.
    /// </summary>
    private static async Task<Results<Ok<RequestRow[]>, ValidationProblem>> List(
        string? status, Guid? stationId, string? since, Guid? workerId, bool? mine, ClaimsPrincipal user,
        DispatchQueries queries, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(status))
            status = RequestTable.Open;
        if (!RequestTable.IsStatusFilter(status))
            return Problems.Field("status", $"'{status}' is not a status filter; use '{RequestTable.Open}', '{RequestTable.All}' or '{RequestTable.FollowUp}'.");
        DateTimeOffset? from = null;
        if (!string.IsNullOrWhiteSpace(since))
        {
            if (!IsoTime.TryParse(since, out var parsed))
                return Problems.Field("since", $"'{since}' is not an ISO-8601 time such as 2026-11-05T00:00:00Z.");
            from = parsed;
        }

        var filter = new RequestFilter(status, stationId, from, workerId, mine == true ? user.AccountId() : null);
        return TypedResults.Ok(await queries.ListAsync(filter, RequestTable.MaxRows, cancellationToken));
    }
}
