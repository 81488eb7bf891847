using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Outreach.Care;
using Outreach.Contracts;
using Outreach.Database;
using Outreach.Files;
using Outreach.Model;
using Outreach.Volunteers;
using Outreach.Web.Audit;
using Outreach.Web.Auth;
using Outreach.Web.Dispatch;
using Outreach.Web.Infrastructure;
using Outreach.Cluster;

namespace Outreach.Web.Care;

/// <summary>
/// Care plans (standing needs) on a family file: list, read, create, edit, delete — hotline staff; every read and
/// change is audited, as the file's are (a plan holds the family's address). The coordinators' list of the
/// occurrences due in a period, with where each one's request stands.
/// </summary>
public static class CarePlanEndpoints
{
    /// <summary>The longest period the upcoming list covers.</summary>
    public static readonly TimeSpan MaxUpcomingPeriod = TimeSpan.FromDays(31);

    /// <summary>The most occurrences one upcoming list holds (the earliest).</summary>
    public const int MaxUpcoming = 500;

    public static IServiceCollection AddCarePlans(this IServiceCollection services) =>
        services.AddSingleton<CarePlanTable>();

    public static IEndpointRouteBuilder MapCarePlanEndpoints(this IEndpointRouteBuilder app)
    {
        var plans = app.MapGroup("/api/workers/{id:guid}/care-plans").WithTags("Care plans").RequireAuthorization(Policies.Hotline);
        plans.MapGet("/", List);
        plans.MapPost("/", Create);
        plans.MapGet("/{planId:guid}", Get);
        plans.MapPut("/{planId:guid}", Update);
        plans.MapDelete("/{planId:guid}", Delete);
        app.MapGet("/api/care-plans/upcoming", Upcoming).WithTags("Care plans").RequireAuthorization(Policies.Coordinator);
        return app;
    }

    private static async Task<Results<Ok<CarePlanDto[]>, NotFound<ProblemDetails>>> List(
        Guid id, IGrainFactory grains, CarePlanTable table, IAuditLog audit, ClaimsPrincipal user, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (await grains.GetGrain<IFamilyFileGrain>(id).GetAsync() is null)
            return Problems.NotFound($"There is no family file {id}.");
        var plans = await table.ForWorkerAsync(id, cancellationToken);
        await audit.RecordAsync(user, AuditActions.CarePlanRead, AuditActions.File, id, $"{plans.Length} care plan(s)");
        var now = clock.GetUtcNow();
        return TypedResults.Ok(plans.OrderBy(p => p.CreatedAt).Select(p => CarePlanDto.From(p, now)).ToArray());
    }

    private static async Task<Results<Ok<CarePlanDto>, NotFound<ProblemDetails>>> Get(
        Guid id, Guid planId, IGrainFactory grains, IAuditLog audit, ClaimsPrincipal user, TimeProvider clock)
    {
        if (await grains.GetGrain<ICarePlanGrain>(planId).GetAsync() is not { Deleted: false } plan || plan.WorkerId != id)
            return Problems.NotFound($"Family file {id} has no care plan {planId}.");
        await audit.RecordAsync(user, AuditActions.CarePlanRead, AuditActions.File, id, $"care plan {planId}");
        return TypedResults.Ok(CarePlanDto.From(plan, clock.GetUtcNow()));
    }

    /// <summary>Creates a plan; with an <c>Idempotency-Key</c> a retry answers the same plan instead of creating another.</summary>
    private static async Task<Results<Created<CarePlanDto>, ValidationProblem, NotFound<ProblemDetails>>> Create(
        Guid id, CarePlanBody body, HttpContext http, IGrainFactory grains, IAuditLog audit, ClaimsPrincipal user, TimeProvider clock)
    {
        var planId = CreateIds.For("care-plan", http, out var keyed, out var problem);
        if (problem is not null)
            return problem;
        var (input, refusal) = await CheckAsync(id, body, grains);
        if (refusal is not null)
            return refusal.Problem is { } p ? p : refusal.Missing!;
        var grain = grains.GetGrain<ICarePlanGrain>(planId);
        if (keyed && await grain.GetAsync() is { } earlier)
        {
            if (earlier.WorkerId != id)
                return Problems.Field(RequestEndpoints.IdempotencyHeader, "This key was used for another family's plan.");
            if (earlier.Deleted)
                return Problems.Field(RequestEndpoints.IdempotencyHeader, "This key made a plan that has been deleted since; a new plan needs a new key.");
            CreateIds.MarkReplayed(http.Response);
            await audit.RecordAsync(user, AuditActions.CarePlanRead, AuditActions.File, id, $"care plan {planId}: create replayed");
            return TypedResults.Created($"/api/workers/{id}/care-plans/{planId}", CarePlanDto.From(earlier, clock.GetUtcNow()));
        }
        var saved = await grain.SaveAsync(id, input!, user.Actor());
        if (saved.Outcome != CarePlanSaveOutcome.Saved)
            throw new InvalidOperationException($"A fresh care plan id {planId} was already taken.");
        await audit.RecordAsync(user, AuditActions.CarePlanCreate, AuditActions.File, id, $"care plan {planId}");
        return TypedResults.Created($"/api/workers/{id}/care-plans/{planId}", CarePlanDto.From(saved.Plan!, clock.GetUtcNow()));
    }

    private static async Task<Results<Ok<CarePlanDto>, ValidationProblem, NotFound<ProblemDetails>>> Update(
        Guid id, Guid planId, CarePlanBody body, IGrainFactory grains, IAuditLog audit, ClaimsPrincipal user, TimeProvider clock)
    {
        var (input, refusal) = await CheckAsync(id, body, grains);
        if (refusal is not null)
            return refusal.Problem is { } p ? p : refusal.Missing!;
        var grain = grains.GetGrain<ICarePlanGrain>(planId);
        if (await grain.GetAsync() is not { Deleted: false } existing || existing.WorkerId != id)
            return Problems.NotFound($"Family file {id} has no care plan {planId}.");
        var saved = await grain.SaveAsync(id, input!, user.Actor());
        if (saved.Outcome != CarePlanSaveOutcome.Saved)
            return Problems.NotFound($"Family file {id} has no care plan {planId}.");
        await audit.RecordAsync(user, AuditActions.CarePlanUpdate, AuditActions.File, id, $"care plan {planId}");
        return TypedResults.Ok(CarePlanDto.From(saved.Plan!, clock.GetUtcNow()));
    }

    /// <summary>Deletes a plan: no more occurrences; the requests it made and their service records stay.</summary>
    private static async Task<Results<NoContent, NotFound<ProblemDetails>>> Delete(
        Guid id, Guid planId, IGrainFactory grains, IAuditLog audit, ClaimsPrincipal user)
    {
        var grain = grains.GetGrain<ICarePlanGrain>(planId);
        if (await grain.GetAsync() is not { Deleted: false } existing || existing.WorkerId != id)
            return Problems.NotFound($"Family file {id} has no care plan {planId}.");
        if (await grain.DeleteAsync(id, user.Actor()) is null)
            return Problems.NotFound($"Family file {id} has no care plan {planId}.");
        await audit.RecordAsync(user, AuditActions.CarePlanDelete, AuditActions.File, id, $"care plan {planId}");
        return TypedResults.NoContent();
    }

    /// <summary>Within the dates a plan may name (far from the calendar's ends, where the arithmetic overflows).</summary>
    private static bool WithinPlanDates(DateTimeOffset at) =>
        at >= new DateTimeOffset(CareSchedules.FirstDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
        && at <= new DateTimeOffset(CareSchedules.LastDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>
    /// The occurrences whose window opens in [from, to) (default: today and tomorrow in China), earliest first, with the
    /// family's name and where each request stands; <c>unassigned=true</c>: only those without a helper yet.
    /// </summary>
    private static async Task<Results<Ok<UpcomingCareDto[]>, ValidationProblem>> Upcoming(
        string? from, string? to, bool? unassigned, CarePlanTable table, DispatchQueries queries, IGrainFactory grains,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var start = IsoTime.StartOfChinaDay(now);
        if (from is not null && !IsoTime.TryParse(from, out start))
            return Problems.Field("from", "A time is ISO 8601, e.g. 2026-12-01 or 2026-12-01T08:00+08:00.");
        if (!WithinPlanDates(start))
            return Problems.Field("from", $"A time between {CareSchedules.FirstDate:yyyy-MM-dd} and {CareSchedules.LastDate:yyyy-MM-dd}.");
        var end = start + TimeSpan.FromDays(2);
        if (to is not null && !IsoTime.TryParse(to, out end))
            return Problems.Field("to", "A time is ISO 8601, e.g. 2026-12-03 or 2026-12-03T08:00+08:00.");
        if (!WithinPlanDates(end))
            return Problems.Field("to", $"A time between {CareSchedules.FirstDate:yyyy-MM-dd} and {CareSchedules.LastDate:yyyy-MM-dd}.");
        if (end <= start)
            return Problems.Field("to", "The end is after the start.");
        if (end - start > MaxUpcomingPeriod)
            return Problems.Field("to", $"The list covers at most {MaxUpcomingPeriod.TotalDays:0} days.");

        var plans = await table.FiringAsync(cancellationToken);
        var due = plans
            .SelectMany(p => CareSchedules.Between(p.Data.Schedule, start, end).Select(o => (Plan: p, Occurrence: o)))
            .OrderBy(d => d.Occurrence.From).ThenBy(d => d.Plan.Id)
            .Take(MaxUpcoming)
            .Select(d => (d.Plan, d.Occurrence, RequestId: CareOccurrences.RequestId(d.Plan.Id, d.Occurrence.Date)))
            .ToArray();
        var rows = due.Length == 0 ? [] : await queries.ListAsync(
            new RequestFilter(RequestTable.All, Ids: [.. due.Select(d => d.RequestId)]), MaxUpcoming, cancellationToken);
        var byId = rows.ToDictionary(r => r.Id);
        var workers = await NamesAsync(due.Select(d => d.Plan.WorkerId),
            async w => (await grains.GetGrain<IFamilyFileGrain>(w).GetAsync())?.Data.WorkerName);
        var volunteers = await NamesAsync(
            due.Select(d => d.Plan.Data.PreferredVolunteerId).Concat(rows.Select(r => r.AssignedVolunteerId)).OfType<Guid>(),
            async v => (await grains.Get<IVolunteerGrain>(v).GetAsync())?.Profile.Name);
        var list = due.Select(d =>
        {
            var row = byId.GetValueOrDefault(d.RequestId);
            RequestStatus? status = row is null ? null : Enum.Parse<RequestStatus>(row.Status);
            var helped = status is { } s && (Lifecycle.IsAssigned(s) || s == RequestStatus.Completed);
            return new UpcomingCareDto
            {
                PlanId = d.Plan.Id,
                WorkerId = d.Plan.WorkerId,
                WorkerName = workers.GetValueOrDefault(d.Plan.WorkerId) ?? "",
                Category = d.Plan.Data.Category,
                Urgency = d.Plan.Data.Urgency,
                Date = d.Occurrence.Date,
                From = d.Occurrence.From,
                To = d.Occurrence.To,
                PreferredVolunteerId = d.Plan.Data.PreferredVolunteerId,
                PreferredVolunteerName = d.Plan.Data.PreferredVolunteerId is { } p ? volunteers.GetValueOrDefault(p) : null,
                RequestId = d.RequestId,
                RequestStatus = status,
                AssignedVolunteerId = helped ? row!.AssignedVolunteerId : null,
                AssignedVolunteerName = helped && row!.AssignedVolunteerId is { } a ? volunteers.GetValueOrDefault(a) : null,
                HasHelper = helped,
            };
        });
        return TypedResults.Ok((unassigned == true ? list.Where(o => !o.HasHelper) : list).ToArray());
    }

    private static async Task<Dictionary<Guid, string?>> NamesAsync(IEnumerable<Guid> ids, Func<Guid, Task<string?>> name)
    {
        Guid[] distinct = [.. ids.Distinct()];
        var names = await Task.WhenAll(distinct.Select(name));
        return distinct.Zip(names).ToDictionary(p => p.First, p => p.Second);
    }

    private sealed record Refusal(ValidationProblem? Problem, NotFound<ProblemDetails>? Missing);

    /// <summary>The body read into a plan, the family file there, and the preferred helper a volunteer; else why not.</summary>
    private static async Task<(CarePlanInput? Input, Refusal? Refusal)> CheckAsync(Guid workerId, CarePlanBody body, IGrainFactory grains)
    {
        var (input, field, message) = body.ToInput();
        if (input is null)
            return (null, new Refusal(Problems.Field(field!, message!), null));
        if (input.PreferredVolunteerId is { } preferred && await grains.Get<IVolunteerGrain>(preferred).GetAsync() is null)
            return (null, new Refusal(Problems.Field("preferredVolunteerId", $"Not a volunteer: {preferred}."), null));
        if (await grains.GetGrain<IFamilyFileGrain>(workerId).GetAsync() is null)
            return (null, new Refusal(null, Problems.NotFound($"There is no family file {workerId}.")));
        return (input, null);
    }
}
