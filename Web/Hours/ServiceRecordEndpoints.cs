using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Outreach.Files;
using Outreach.Stations;
using Outreach.Web.Auth;
using Outreach.Web.Infrastructure;

namespace Outreach.Web.Hours;

/// <summary>
/// Service hours (志愿时长): a volunteer's own records and totals; coordinators' records and totals per volunteer and
/// station for a period, their correction, and the export (<see cref="ServiceExport"/>).
/// </summary>
public static class ServiceRecordEndpoints
{
    /// <summary>The most records one JSON answer lists (the totals always cover the whole period; the export lists all).</summary>
    public const int MaxListed = 500;

    public static IServiceCollection AddServiceRecords(this IServiceCollection services)
    {
        services.AddSingleton<ServiceRecordStore>();
        services.AddOptions<CertificateOptions>().BindConfiguration(CertificateOptions.Section);
        return services;
    }

    public static IEndpointRouteBuilder MapServiceRecordEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/volunteers/me/service-records", Mine).WithTags("Service hours").RequireAuthorization(Policies.Volunteer);
        var records = app.MapGroup("/api/service-records").WithTags("Service hours").RequireAuthorization(Policies.Coordinator);
        records.MapGet("/", Report);
        records.MapGet("/export", ServiceExport.Export);
        records.MapPut("/{id:guid}", Correct);
        return app;
    }

    private static async Task<Ok<MyServiceRecords>> Mine(ClaimsPrincipal user, ServiceRecordStore store, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var volunteerId = user.VolunteerIdOf() ?? throw new InvalidOperationException("The policy admits volunteers only.");
        var totals = await store.TotalsAsync(volunteerId, clock.GetUtcNow(), cancellationToken);
        var records = await store.OfVolunteerAsync(volunteerId, MaxListed, cancellationToken);
        return TypedResults.Ok(new MyServiceRecords(totals.Month, totals.Year, totals.All, records));
    }

    private static async Task<Results<Ok<ServiceRecordReport>, ValidationProblem>> Report(
        string? from, string? to, string? stationId, string? volunteerId,
        ServiceRecordStore store, IGrainFactory grains, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (ReadFilter(from, to, stationId, volunteerId, clock.GetUtcNow(), out var problem) is not { } filter)
            return problem!;
        var records = await store.ListAsync(filter, cancellationToken);
        var stations = await StationNamesAsync(grains);
        return TypedResults.Ok(ServiceTotals.Report(filter.Period, records, stations, MaxListed));
    }

    private static async Task<Results<Ok<ServiceRecordDto>, ValidationProblem, NotFound<ProblemDetails>>> Correct(
        Guid id, ServiceCorrectionBody body, ClaimsPrincipal user, ServiceRecordStore store, CancellationToken cancellationToken)
    {
        // + 0.0 turns -0.0 into 0: a sign on nothing would show as "-0" in the record and the union's export.
        var minutes = body.Minutes + 0.0;
        if (minutes < 0)
            return Problems.Field("minutes", "A service's time cannot be negative.");
        if (string.IsNullOrWhiteSpace(body.Reason))
            return Problems.Field("reason", "Say why the record is corrected.");
        var (outcome, record, open) = await store.CorrectAsync(id, minutes, body.Reason.Trim(), user, cancellationToken);
        return outcome switch
        {
            CorrectionOutcome.NotFound => Problems.NotFound($"There is no service record {id}."),
            CorrectionOutcome.TooLong => Problems.Field("minutes",
                $"A service cannot be longer than its request was open ({Math.Floor(open * 100) / 100:0.##} minutes)."),
            _ => TypedResults.Ok(record!),
        };
    }

    /// <summary>The filter of a report or an export; null and a 400 naming the field when a value is not valid.</summary>
    internal static ServiceRecordFilter? ReadFilter(string? from, string? to, string? stationId, string? volunteerId, DateTimeOffset now,
        out ValidationProblem? problem)
    {
        problem = null;
        if (ServicePeriod.Read(from, to, now, out var field, out var why) is not { } period)
        {
            problem = Problems.Field(field!, why!);
            return null;
        }
        if (!TryGuid(stationId, out var station))
        {
            problem = Problems.Field("stationId", "A station id is a GUID.");
            return null;
        }
        if (!TryGuid(volunteerId, out var volunteer))
        {
            problem = Problems.Field("volunteerId", "A volunteer id is a GUID.");
            return null;
        }
        return new ServiceRecordFilter(period, station, volunteer);
    }

    /// <summary>The stations' names by id (one directory shard).</summary>
    internal static async Task<Dictionary<Guid, string>> StationNamesAsync(IGrainFactory grains) =>
        (await grains.ListDirectoryAsync<StationView>(DirectoryShards.Stations)).ToDictionary(s => s.Id, s => s.Info.Name);

    private static bool TryGuid(string? text, out Guid? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text))
            return true;
        if (!Guid.TryParse(text, out var id))
            return false;
        value = id;
        return true;
    }
}

/// <summary>Totals of a period's records per volunteer and per station (pure, so it is tested on its own).</summary>
public static class ServiceTotals
{
    public static ServiceRecordReport Report(ServicePeriod period, IReadOnlyCollection<ServiceRecordDto> records,
        IReadOnlyDictionary<Guid, string> stationNames, int maxListed)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(stationNames);
        // Summed from the unrounded minutes of each record (a record's Minutes is already rounded to 0.01).
        var volunteers = records.GroupBy(r => r.VolunteerId)
            .Select(g => (Total: ServiceTotal.Of(g.Count(), g.Sum(r => r.Minutes)), g.Key, Name: g.First().VolunteerName))
            .OrderByDescending(v => v.Total.Minutes).ThenBy(v => v.Name, StringComparer.Ordinal)
            .Select(v => new VolunteerServiceTotal(v.Key, v.Name, v.Total.Count, v.Total.Minutes, v.Total.Hours))
            .ToArray();
        var stations = records.GroupBy(r => r.StationId)
            .Select(g => (Total: ServiceTotal.Of(g.Count(), g.Sum(r => r.Minutes)), g.Key,
                Name: g.Key is { } id ? stationNames.GetValueOrDefault(id) : null))
            .OrderByDescending(s => s.Total.Minutes).ThenBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => new StationServiceTotal(s.Key, s.Name, s.Total.Count, s.Total.Minutes, s.Total.Hours))
            .ToArray();
        return new ServiceRecordReport(period.FromText, period.ToText, ServiceTotal.Of(records.Count, records.Sum(r => r.Minutes)),
            volunteers, stations, [.. records.Take(maxListed)], records.Count > maxListed);
    }
}
