using System.Security.Claims;
using Outreach.Contracts;
using Outreach.Dispatch;
using Outreach.Volunteers;
using Outreach.Web.Audit;
using Outreach.Web.Auth;
using Outreach.Cluster;

namespace Outreach.Web.Dispatch;

/// <summary>
/// A volunteer's work as their page reloads it after every (re)connect: the offers open to them and their current jobs.
/// Costs what this volunteer has, never the open requests: the offers index and the requests' own rows are read by
/// volunteer (indexed), then only the requests that are their jobs are asked, and each whole job read is audited.
/// </summary>
public sealed class VolunteerWork(IGrainFactory grains, DispatchQueries queries, IAuditLog audit)
{
    /// <summary>The offers open to the volunteer, newest first (<c>GET /api/volunteers/me/offers</c>).</summary>
    public async Task<OfferDto[]> OffersAsync(Guid volunteerId, CancellationToken cancellationToken) =>
        [.. (await queries.OffersForAsync(volunteerId, cancellationToken)).Select(OfferDto.From)];

    /// <summary>The volunteer's current jobs, whole, oldest claim first (<c>GET /api/volunteers/me/assignments</c>).</summary>
    /// <remarks>
    /// The jobs are found in the requests' own rows, written with each request's state: a claim that was acknowledged is
    /// listed even if its silo died before the volunteer grain heard of it.
    /// </remarks>
    public async Task<RequestDto[]> AssignmentsAsync(ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await JobsAsync(user, await queries.AssignedToAsync(VolunteerOf(user), cancellationToken), cancellationToken);

    /// <summary>
    /// The volunteer's record, offers and jobs in one answer (the live hub's <c>Resync</c>): one round trip to the
    /// database for offers and jobs together, one grain call for the record and one per job. Null when the account's
    /// volunteer record does not exist.
    /// </summary>
    public async Task<VolunteerResync?> ResyncAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var volunteerId = VolunteerOf(user);
        var record = grains.Get<IVolunteerGrain>(volunteerId).GetAsync();
        var (offers, assigned) = await queries.WorkOfAsync(volunteerId, cancellationToken);
        var jobs = await JobsAsync(user, assigned, cancellationToken);
        return await record is { } view
            ? new VolunteerResync(VolunteerResponse.From(view), [.. offers.Select(OfferDto.From)], jobs)
            : null;
    }

    private async Task<RequestDto[]> JobsAsync(ClaimsPrincipal user, Guid[] ids, CancellationToken cancellationToken)
    {
        var volunteerId = VolunteerOf(user);
        var requests = await Task.WhenAll(ids.Select(id => grains.Get<IHelpRequestGrain>(id).GetAsync()));
        var mine = requests.OfType<HelpRequestView>()
            .Where(r => RequestVisibility.IsCurrentJobOf(r, volunteerId))
            .OrderBy(r => r.ClaimedAt).ToArray();
        await audit.RecordAsync(user, [.. mine.Select(r => new AuditEntry(AuditActions.RequestRead, AuditActions.Request, r.Id, "assignment"))],
            cancellationToken);
        return [.. mine.Select(RequestDto.From)];
    }

    private static Guid VolunteerOf(ClaimsPrincipal user) =>
        user.VolunteerIdOf() ?? throw new InvalidOperationException("The policy admits volunteers only.");
}
