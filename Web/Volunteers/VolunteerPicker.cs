using Microsoft.AspNetCore.Http.HttpResults;
using Outreach.Files;
using Outreach.Model;
using Outreach.Volunteers;
using Outreach.Web.Auth;
using Outreach.Web.Files;
using Outreach.Web.Infrastructure;

namespace Outreach.Web.Volunteers;

/// <summary>
/// Choosing volunteers by name for hotline staff (pairing a family, a care plan's preferred helper):
/// <c>GET /api/volunteers/picker?q=</c> finds active volunteers whose name contains the text, <c>?ids=</c> names the
/// volunteers already chosen. Only what a choice needs: never a phone, a position or a load.
/// </summary>
public static class VolunteerPicker
{
    /// <summary>The most volunteers one answer lists.</summary>
    public const int MaxResults = 20;

    /// <summary>The longest search text (a name is at most 64 characters).</summary>
    public const int MaxSearchLength = 64;

    public static RouteGroupBuilder MapVolunteerPicker(this RouteGroupBuilder volunteers)
    {
        // A search by name counts against the account's search limit (as file searches do); naming known ids does not.
        volunteers.MapGet("/picker", Pick).RequireAuthorization(Policies.Hotline).RequireRateLimiting(SearchRateLimit.Policy);
        return volunteers;
    }

    private static async Task<Results<Ok<VolunteerChoice[]>, ValidationProblem>> Pick(string? q, string? ids, IGrainFactory grains)
    {
        var text = q?.Trim() ?? "";
        if (string.IsNullOrEmpty(ids))
            ids = null;
        if (ids is null && text.Length == 0)
            return Problems.Field("q", "Type at least one character of the volunteer's name (or give ids).");
        if (text.Length > MaxSearchLength)
            return Problems.Field("q", $"A name has at most {MaxSearchLength} characters.");
        var wanted = ids is null ? null : ReadIds(ids);
        if (ids is not null && wanted is null)
            return Problems.Field("ids", $"ids is 1 to {MaxResults} volunteer ids separated by commas.");

        var all = await grains.ListDirectoryAsync<VolunteerSummary>(DirectoryShards.Volunteers);
        return TypedResults.Ok(Choose(all, text, wanted));
    }

    /// <summary>
    /// The volunteers to offer: with ids, those of them that exist (active or not, so a stopped helper is still named);
    /// else the active volunteers whose name contains <paramref name="text"/> (case-insensitive), names starting with it
    /// first, then by name; at most <see cref="MaxResults"/>.
    /// </summary>
    public static VolunteerChoice[] Choose(IEnumerable<VolunteerSummary> all, string text, IReadOnlySet<Guid>? ids)
    {
        ArgumentNullException.ThrowIfNull(all);
        var found = ids is not null
            ? all.Where(v => ids.Contains(v.Id))
            : all.Where(v => v.Active && v.Name.Contains(text, StringComparison.OrdinalIgnoreCase))
                .OrderBy(v => v.Name.StartsWith(text, StringComparison.OrdinalIgnoreCase) ? 0 : 1);
        return [.. found.ThenByName().Take(MaxResults).Select(VolunteerChoice.From)];
    }

    private static IOrderedEnumerable<VolunteerSummary> ThenByName(this IEnumerable<VolunteerSummary> volunteers) =>
        volunteers is IOrderedEnumerable<VolunteerSummary> ordered
            ? ordered.ThenBy(v => v.Name, StringComparer.Ordinal).ThenBy(v => v.Id)
            : volunteers.OrderBy(v => v.Name, StringComparer.Ordinal).ThenBy(v => v.Id);

    private static HashSet<Guid>? ReadIds(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length is 0 or > MaxResults)
            return null;
        var ids = new HashSet<Guid>();
        foreach (var part in parts)
        {
            if (!Guid.TryParse(part, out var id))
                return null;
            ids.Add(id);
        }
        return ids;
    }
}
