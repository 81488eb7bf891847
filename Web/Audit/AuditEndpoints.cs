using Outreach.Contracts;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Outreach.Web.Auth;
using Outreach.Web.Infrastructure;

namespace Outreach.Web.Audit;

/// <summary>Administrators read the audit: <c>GET /api/audit?subject=&amp;actor=&amp;from=&amp;to=&amp;page=&amp;pageSize=</c>, newest first.</summary>
public static class AuditEndpoints
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    /// <summary>The audit service (<see cref="AuditLog"/>, one per process).</summary>
    public static IServiceCollection AddAuditLog(this IServiceCollection services)
    {
        services.AddSingleton<IAuditLog, AuditLog>();
        return services;
    }

    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit", Query).WithTags("Audit").RequireAuthorization(Policies.Admin);
        return app;
    }

    /// <summary>
    /// <c>subject</c>: a file's or request's id; <c>actor</c>: an account id or a login; <c>from</c> (inclusive) and
    /// <c>to</c> (exclusive): times with an offset. Reading the audit is itself recorded (<c>audit.read</c>).
    /// </summary>
    private static async Task<Results<Ok<AuditPage>, ValidationProblem>> Query(
        string? subject, string? actor, DateTimeOffset? from, DateTimeOffset? to, int? page, int? pageSize,
        ClaimsPrincipal user, IAuditLog audit, CancellationToken cancellationToken)
    {
        Guid? subjectId = null;
        if (!string.IsNullOrWhiteSpace(subject))
        {
            if (!Guid.TryParse(subject.Trim(), out var parsed))
                return Problems.Field("subject", "A subject is the id (GUID) of a family file or a request.");
            subjectId = parsed;
        }
        Guid? actorId = null;
        string? actorLogin = null;
        if (!string.IsNullOrWhiteSpace(actor))
        {
            if (Guid.TryParse(actor.Trim(), out var parsed))
                actorId = parsed;
            else if (actor.Trim().Length <= 64)
                actorLogin = actor.Trim();
            else
                return Problems.Field("actor", "An actor is an account id or a login of at most 64 characters.");
        }
        if (from is { } f && to is { } t && t <= f)
            return Problems.Field("to", "'to' must be later than 'from'.");
        if (page is < 1)
            return Problems.Field("page", "Pages are numbered from 1.");
        if (pageSize is < 1 or > MaxPageSize)
            return Problems.Field("pageSize", $"A page holds 1 to {MaxPageSize} rows.");

        // The filter is recorded as the detail, not as the subject, so a file's own history stays its own.
        var filter = string.Join("; ", new[]
        {
            subjectId is { } s ? $"subject={s}" : null,
            // A login as typed, unless it reads as a phone number: the audit never keeps a number (it is append-only).
            actorId is { } a ? $"actor={a}" : actorLogin is { } l ? (Phones.Normalize(l) is null ? $"actor={l}" : "actor=(a phone number)") : null,
            from is { } f1 ? $"from={f1:O}" : null, to is { } t1 ? $"to={t1:O}" : null, $"page={page ?? 1}",
        }.OfType<string>());
        await audit.RecordAsync(user, AuditActions.AuditRead, AuditActions.Audit, null, filter);
        return TypedResults.Ok(await audit.QueryAsync(new AuditFilter(subjectId, actorId, actorLogin, from, to),
            page ?? 1, pageSize ?? DefaultPageSize, cancellationToken));
    }
}
