using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Outreach.Files;
using Outreach.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Outreach.Web.Auth;
using Outreach.Web.Validation;

namespace Outreach.Web.Files;

/// <summary>Family service files: find by phone, list, read, create, edit.</summary>
public static class WorkerEndpoints
{
    private const int MaxListed = 500;

    public static IEndpointRouteBuilder MapWorkerEndpoints(this IEndpointRouteBuilder app)
    {
        var files = app.MapGroup("/api/workers").WithTags("Families").RequireAuthorization(Policies.Hotline);
        files.MapGet("/", Find);
        files.MapGet("/{id:guid}", Get);
        files.MapPost("/", Create);
        files.MapPut("/{id:guid}", Update);
        return app;
    }

    /// <summary>
    /// With <c>phone</c>: the files that list that number, however it was typed. With <c>q</c>: files whose
    /// name, posting, phone or address contains the text. With neither: every file (up to 500).
    /// </summary>
    private static async Task<Results<Ok<WorkerSummary[]>, Ok<WorkerFileResponse[]>, ValidationProblem>> Find(
        string? phone, string? q, IGrainFactory grains)
    {
        if (phone is not null)
        {
            if (Phones.Normalize(phone) is not { } normalized)
            {
                return Problems.Field("phone", $"'{Truncate(phone)}' is not a phone number.");
            }
            var ids = await grains.GetGrain<IPhoneIndexGrain>("phone:" + normalized).GetAsync();
            var files = await Task.WhenAll(ids.Select(id => grains.GetGrain<IWorkerGrain>(id).GetAsync()));
            // The index is kept after the file is written; re-check so a stale entry is never shown.
            return TypedResults.Ok(files.OfType<WorkerFile>().Where(f => f.Phones.Contains(normalized))
                .OrderBy(f => f.Data.WorkerName, StringComparer.Ordinal).Select(WorkerFileResponse.From).ToArray());
        }

        var shards = await grains.ListDirectoryAsync<WorkerSummary>(DirectoryShards.Workers);
        IEnumerable<WorkerSummary> all = shards;
        if (!string.IsNullOrWhiteSpace(q))
        {
            var text = q.Trim();
            var digits = Phones.Normalize(text);
            all = all.Where(w => w.WorkerName.Contains(text, StringComparison.OrdinalIgnoreCase)
                || (w.Posting?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false)
                || (w.HomeAddress?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false)
                || w.Phones.Any(p => p.Contains(text, StringComparison.Ordinal) || p == digits));
        }
        return TypedResults.Ok(all.OrderBy(w => w.WorkerName, StringComparer.Ordinal).Take(MaxListed).ToArray());
    }

    private static async Task<Results<Ok<WorkerFileResponse>, NotFound<ProblemDetails>>> Get(
        Guid id, IGrainFactory grains) =>
        await grains.GetGrain<IWorkerGrain>(id).GetAsync() is { } file
            ? TypedResults.Ok(WorkerFileResponse.From(file))
            : Problems.NotFound($"There is no family file {id}.");

    /// <summary>Creates a file; with an <c>Idempotency-Key</c> a retry answers the same file instead of creating another (<see cref="CreateIds"/>).</summary>
    private static async Task<Results<Created<WorkerFileResponse>, ValidationProblem>> Create(
        WorkerFileRequest request, HttpContext http, IGrainFactory grains, ClaimsPrincipal user)
    {
        var id = CreateIds.For("worker", http, out var keyed, out var problem);
        if (problem is not null)
            return problem;
        var grain = grains.GetGrain<IWorkerGrain>(id);
        var file = await grain.CreateAsync(request.ToInput(), request.NormalizedPhones(), user.Actor());
        if (file is null)
        {
            if (!keyed)
                throw new InvalidOperationException($"A fresh file id {id} was already taken.");
            file = await grain.GetAsync() ?? throw new InvalidOperationException($"File {id} exists but reads as none.");
            CreateIds.MarkReplayed(http.Response);
        }
        return TypedResults.Created($"/api/workers/{id}", WorkerFileResponse.From(file));
    }

    private static async Task<Results<Ok<WorkerFileResponse>, NotFound<ProblemDetails>>> Update(
        Guid id, WorkerFileRequest request, IGrainFactory grains, ClaimsPrincipal user) =>
        await grains.GetGrain<IWorkerGrain>(id).UpdateAsync(request.ToInput(), request.NormalizedPhones(), user.Actor()) is { } file
            ? TypedResults.Ok(WorkerFileResponse.From(file))
            : Problems.NotFound($"There is no family file {id}.");


    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
