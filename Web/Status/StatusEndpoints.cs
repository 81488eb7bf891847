using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Outreach.Dispatch;
using Outreach.Model;
using Outreach.Volunteers;
using Outreach.Web.Audit;
using Outreach.Web.Auth;
using Outreach.Web.Infrastructure;
using Outreach.Web.Pages;
using Outreach.Web.Sms;
using Outreach.Cluster;

namespace Outreach.Web.Status;

/// <summary>
/// The family's status link, no login: <c>GET /s/{token}</c> (a small Chinese page, <c>wwwroot/status.html</c>, that
/// polls) and <c>GET /api/status/{token}</c> (its JSON). A token that opens nothing — guessed, malformed, or of a
/// request closed longer ago than <see cref="StatusOptions.ExpireAfterClose"/> — is 404, the same answer for all.
/// Every opening is audited (<c>status.read</c>, actor "family (status link)"); the page's polls at most once a
/// minute per link and node. Rate-limited per client address.
/// </summary>
public static class StatusEndpoints
{
    /// <summary>The actor the audit records for a status link's reader.</summary>
    public const string FamilyActor = "family (status link)";

    private static readonly ClaimsPrincipal Family = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, FamilyActor)]));

    public static IServiceCollection AddStatusLinks(this IServiceCollection services)
    {
        services.AddOptions<StatusOptions>().BindConfiguration(StatusOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<StatusLinkReader>();
        services.AddMemoryCache();
        return services;
    }

    public static IEndpointRouteBuilder MapStatusEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/s/{token}", Page).AllowAnonymous().RequireRateLimiting(RateLimits.Status).ExcludeFromDescription();
        app.MapGet("/api/status/{token}", Get).AllowAnonymous().RequireRateLimiting(RateLimits.Status).WithTags("Status");
        return app;
    }

    private static async Task<IResult> Page(string token, StatusLinkReader links, IGrainFactory grains, IOptions<StatusOptions> options,
        TimeProvider clock, IAuditLog audit, IWebHostEnvironment env, CancellationToken cancellationToken)
    {
        if (await OpenAsync(token, links, grains, options.Value, clock, cancellationToken) is not { } request)
            return NotFound();
        await audit.RecordAsync(Family, AuditActions.StatusRead, AuditActions.Request, request.Id, "status page");
        var path = Path.Combine(env.WebRootPath, "status.html");
        return new NoCacheResult(TypedResults.PhysicalFile(path, "text/html; charset=utf-8"));
    }

    private static async Task<Results<Ok<StatusDto>, NotFound<ProblemDetails>>> Get(
        string token, StatusLinkReader links, IGrainFactory grains, IOptions<StatusOptions> options, IOptions<SmsSettings> sms,
        TimeProvider clock, IAuditLog audit, IMemoryCache polls, CancellationToken cancellationToken)
    {
        if (await OpenAsync(token, links, grains, options.Value, clock, cancellationToken) is not { } request)
            return NotFound();
        // The page polls: one audit row per link and node per AuditPollsEvery is an honest account without a row per poll.
        if (!polls.TryGetValue(("status", token), out _))
        {
            await audit.RecordAsync(Family, AuditActions.StatusRead, AuditActions.Request, request.Id, "status");
            polls.Set(("status", token), true, options.Value.AuditPollsEvery);
        }
        double? distance = null;
        if (options.Value.ShowVolunteerDistance && Lifecycle.IsComing(request.Status)
            && request.AssignedVolunteerId is { } volunteerId
            && await grains.Get<IVolunteerGrain>(volunteerId).GetAsync() is { LastPosition: { } fix })
        {
            distance = Math.Round(GeoMath.DistanceM(fix.Position, request.Position) / 100) * 100;
        }
        return TypedResults.Ok(StatusDto.From(request, sms.Value.Hotline, distance));
    }

    /// <summary>The request a token opens now, or null (unknown token, no request, closed too long ago).</summary>
    private static async Task<HelpRequestView?> OpenAsync(string token, StatusLinkReader links, IGrainFactory grains, StatusOptions options,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await links.RequestOfAsync(token, cancellationToken) is not { } requestId)
            return null;
        var request = await grains.Get<IHelpRequestGrain>(requestId).GetAsync();
        if (request is null || request.ClosedAt is { } closed && clock.GetUtcNow() >= closed + options.ExpireAfterClose)
            return null;
        return request;
    }

    private static NotFound<ProblemDetails> NotFound() => Problems.NotFound("This link does not open any request (wrong, or expired).");
}
