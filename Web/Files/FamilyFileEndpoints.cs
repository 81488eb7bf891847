using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Outreach.Files;
using Outreach.Web.Audit;
using Outreach.Web.Auth;
using Outreach.Web.Infrastructure;

namespace Outreach.Web.Files;

/// <summary>
/// Family service files: a paged list with masked numbers, search, lookup by phone (in the body, never the URL),
/// read, create, edit. Every read of a whole file and every change is recorded in the audit before it is answered.
/// </summary>
public static class FamilyFileEndpoints
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    /// <summary>The shortest search text: a single character would let anyone walk every file.</summary>
    public const int MinSearchLength = 2;

    public static IEndpointRouteBuilder MapFamilyFileEndpoints(this IEndpointRouteBuilder app)
    {
        var files = app.MapGroup("/api/workers").WithTags("Families").RequireAuthorization(Policies.Hotline);
        files.MapGet("/", List);
        files.MapPost("/search", Search).RequireRateLimiting(SearchRateLimit.Policy);
        files.MapPost("/lookup", Lookup).RequireRateLimiting(SearchRateLimit.Policy);
        files.MapGet("/{id:guid}", Get);
        files.MapPost("/", Create);
        files.MapPut("/{id:guid}", Update);
        return app;
    }

    /// <summary>
    /// One page of all the files, sorted by name, with masked numbers and no address. A search is
    /// <c>POST /api/workers/search</c>: <c>q</c> and <c>phone</c> here are gone, as the text would be in the URL.
    /// </summary>
    private static async Task<Results<Ok<FamilyFilePage>, ValidationProblem, ProblemHttpResult>> List(
        string? phone, string? q, int? page, int? pageSize, IGrainFactory grains, IAuditLog audit, ClaimsPrincipal user)
    {
        if (phone is not null)
        {
            // The number is already in this URL (and the access log); say where lookups went, without repeating it.
            return TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "Phone lookup moved.",
                detail: "Look a number up with POST /api/workers/lookup and { \"phone\": \"…\" } in the body: a number in a URL ends up in logs and traces.");
        }
        if (q is not null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "Search moved.",
                detail: "Search with POST /api/workers/search and { \"q\": \"…\" } in the body: a number or an address in a URL ends up in logs and traces.");
        }
        return await PageAsync("", page, pageSize, grains, audit, user);
    }

    /// <summary>
    /// One page of the files whose name, posting or first address contains <c>q</c> (≥ 2 characters), or one of whose
    /// numbers is it; sorted by name, numbers masked, no address.
    /// </summary>
    private static async Task<Results<Ok<FamilyFilePage>, ValidationProblem, ProblemHttpResult>> Search(
        FamilyFileSearchRequest body, IGrainFactory grains, IAuditLog audit, ClaimsPrincipal user)
    {
        var text = body.Q.Trim();
        if (text.Length < MinSearchLength)
            return Problems.Field("q", $"A search needs at least {MinSearchLength} characters.");
        return await PageAsync(text, body.Page, body.PageSize, grains, audit, user);
    }

    private static async Task<Results<Ok<FamilyFilePage>, ValidationProblem, ProblemHttpResult>> PageAsync(
        string text, int? page, int? pageSize, IGrainFactory grains, IAuditLog audit, ClaimsPrincipal user)
    {
        if (page is < 1)
            return Problems.Field("page", "Pages are numbered from 1.");
        if (pageSize is < 1 or > MaxPageSize)
            return Problems.Field("pageSize", $"A page holds 1 to {MaxPageSize} files.");

        IEnumerable<FamilyFileSummary> all = await grains.ListDirectoryAsync<FamilyFileSummary>(DirectoryShards.FamilyFiles);
        if (text.Length > 0)
        {
            var number = Phones.Normalize(text);
            all = all.Where(w => w.WorkerName.Contains(text, StringComparison.OrdinalIgnoreCase)
                || (w.Posting?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false)
                || (w.HomeAddress?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false)
                || (number is not null && w.Phones.Contains(number)));
        }
        var sorted = all.OrderBy(w => w.WorkerName, StringComparer.Ordinal).ThenBy(w => w.Id).ToArray();
        var (number1, size) = (page ?? 1, pageSize ?? DefaultPageSize);
        // In long: a page number near int.MaxValue times the page size must not wrap around to an earlier page.
        var skip = (long)(number1 - 1) * size;
        var items = skip >= sorted.Length ? [] : sorted.Skip((int)skip).Take(size).Select(FamilyFileListItem.From).ToArray();
        await audit.RecordAsync(user, text.Length > 0 ? AuditActions.FileSearch : AuditActions.FileList, AuditActions.File, null,
            $"page {number1}: {items.Length} of {sorted.Length} files");
        return TypedResults.Ok(new FamilyFilePage(items, number1, size, sorted.Length));
    }

    /// <summary>The files that list this number, however it was typed; whole, each read recorded.</summary>
    private static async Task<Results<Ok<FamilyFileResponse[]>, ValidationProblem>> Lookup(
        PhoneLookupRequest body, IGrainFactory grains, PhoneIndexKeys keys, IAuditLog audit, ClaimsPrincipal user)
    {
        if (Phones.Normalize(body.Phone) is not { } normalized)
            return Problems.Field("phone", "This is not a phone number.");
        var ids = await grains.GetGrain<IPhoneIndexGrain>(keys.For(normalized)).GetAsync();
        var files = await Task.WhenAll(ids.Select(id => grains.GetGrain<IFamilyFileGrain>(id).GetAsync()));
        // The index is kept after the file is written; re-check so a stale entry is never shown.
        var found = files.OfType<FamilyFile>().Where(f => f.Phones.Contains(normalized))
            .OrderBy(f => f.Data.WorkerName, StringComparer.Ordinal).ToArray();
        await audit.RecordAsync(user, found.Length == 0
            ? [new AuditEntry(AuditActions.PhoneLookup, AuditActions.File, null, "no file")]
            : [.. found.Select(f => new AuditEntry(AuditActions.PhoneLookup, AuditActions.File, f.Id, $"{found.Length} file(s)"))]);
        var answers = new List<FamilyFileResponse>(found.Length);
        foreach (var file in found)
            answers.Add(FamilyFileResponse.From(file, await audit.ChangesAsync(file.Id)));
        return TypedResults.Ok(answers.ToArray());
    }

    private static async Task<Results<Ok<FamilyFileResponse>, NotFound<ProblemDetails>>> Get(
        Guid id, IGrainFactory grains, IAuditLog audit, ClaimsPrincipal user)
    {
        if (await grains.GetGrain<IFamilyFileGrain>(id).GetAsync() is not { } file)
            return Problems.NotFound($"There is no family file {id}.");
        await audit.RecordAsync(user, AuditActions.FileRead, AuditActions.File, id);
        return TypedResults.Ok(FamilyFileResponse.From(file, await audit.ChangesAsync(id)));
    }

    /// <summary>Creates a file; with an <c>Idempotency-Key</c> a retry answers the same file instead of creating another (<see cref="CreateIds"/>).</summary>
    private static async Task<Results<Created<FamilyFileResponse>, ValidationProblem>> Create(
        FamilyFileRequest request, HttpContext http, IGrainFactory grains, IAuditLog audit, ClaimsPrincipal user)
    {
        var id = CreateIds.For("worker", http, out var keyed, out var problem);
        if (problem is not null)
            return problem;
        if (await CheckPairedAsync(request.PairedVolunteerIds, grains) is { } notVolunteer)
            return notVolunteer;
        var grain = grains.GetGrain<IFamilyFileGrain>(id);
        var file = await grain.CreateAsync(request.ToInput(), request.NormalizedPhones(), user.Actor());
        if (file is null)
        {
            if (!keyed)
                throw new InvalidOperationException($"A fresh file id {id} was already taken.");
            file = await grain.GetAsync() ?? throw new InvalidOperationException($"File {id} exists but reads as none.");
            CreateIds.MarkReplayed(http.Response);
            await audit.RecordAsync(user, AuditActions.FileRead, AuditActions.File, id, "create replayed");
        }
        else
        {
            await RecordChangeAsync(audit, user, file, AuditActions.FileCreate);
        }
        return TypedResults.Created($"/api/workers/{id}", FamilyFileResponse.From(file, await audit.ChangesAsync(id)));
    }

    private static async Task<Results<Ok<FamilyFileResponse>, ValidationProblem, NotFound<ProblemDetails>>> Update(
        Guid id, FamilyFileRequest request, IGrainFactory grains, IAuditLog audit, ClaimsPrincipal user)
    {
        if (await CheckPairedAsync(request.PairedVolunteerIds, grains) is { } notVolunteer)
            return notVolunteer;
        if (await grains.GetGrain<IFamilyFileGrain>(id).UpdateAsync(request.ToInput(), request.NormalizedPhones(), user.Actor()) is not { } file)
            return Problems.NotFound($"There is no family file {id}.");
        await RecordChangeAsync(audit, user, file, AuditActions.FileUpdate);
        return TypedResults.Ok(FamilyFileResponse.From(file, await audit.ChangesAsync(id)));
    }

    /// <summary>400 naming <c>pairedVolunteerIds</c> when one of the ids is not a volunteer (checked before anything is stored).</summary>
    private static async Task<ValidationProblem?> CheckPairedAsync(Guid[]? ids, IGrainFactory grains)
    {
        Guid[] distinct = [.. (ids ?? []).Distinct()];
        var views = await Task.WhenAll(distinct.Select(v => grains.GetGrain<Outreach.Volunteers.IVolunteerGrain>(v).GetAsync()));
        var missing = distinct.Zip(views).Where(p => p.Second is null).Select(p => p.First).ToArray();
        return missing.Length == 0 ? null
            : Problems.Field("pairedVolunteerIds", $"Not a volunteer: {string.Join(", ", missing)}.");
    }

    /// <summary>The change the grain just stored (its latest; names of the parts, never values), into the audit.</summary>
    private static Task RecordChangeAsync(IAuditLog audit, ClaimsPrincipal user, FamilyFile file, string action)
    {
        var change = file.Changes[^1];
        return audit.RecordAsync(user, action, AuditActions.File, file.Id, change.What, change.At);
    }
}
