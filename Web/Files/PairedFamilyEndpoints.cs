using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Outreach.Files;
using Outreach.Web.Audit;
using Outreach.Web.Auth;

namespace Outreach.Web.Files;

/// <summary>
/// The families a volunteer is paired with (一对一结对), as the volunteer sees them on their page: masked, with no phone
/// and no address until a request of theirs is the volunteer's to carry.
/// </summary>
public static class PairedFamilyEndpoints
{
    public static IEndpointRouteBuilder MapPairedFamilyEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/volunteers/me/paired-families", List).WithTags("Volunteers").RequireAuthorization(Policies.Volunteer);
        return app;
    }

    private static async Task<Ok<PairedFamilyDto[]>> List(IGrainFactory grains, IAuditLog audit, ClaimsPrincipal user)
    {
        var me = user.VolunteerIdOf() ?? throw new InvalidOperationException("The policy admits volunteers only.");
        var all = await grains.ListDirectoryAsync<FamilyFileSummary>(DirectoryShards.FamilyFiles);
        PairedFamilyDto[] mine = [.. all.Where(w => w.PairedVolunteerIds?.Contains(me) == true)
            .OrderBy(w => w.WorkerName, StringComparer.Ordinal).ThenBy(w => w.Id)
            .Select(w => new PairedFamilyDto(w.Id, w.WorkerName, w.Posting))];
        await audit.RecordAsync(user, AuditActions.FileList, AuditActions.File, null, $"paired families: {mine.Length}");
        return TypedResults.Ok(mine);
    }
}
