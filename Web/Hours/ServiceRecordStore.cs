using System.Globalization;
using System.Security.Claims;
using Npgsql;
using Outreach.Model;
using Outreach.Web.Audit;
using Outreach.Web.Auth;

namespace Outreach.Web.Hours;

/// <summary>Which records a report or an export covers.</summary>
public sealed record ServiceRecordFilter(ServicePeriod Period, Guid? StationId, Guid? VolunteerId);

/// <summary>
/// The service records (<c>outreach_service_records</c>, migration 0014) as the API shows them, through the table's
/// owner (<see cref="ServiceRecordTable"/>), which the request grains write with each completion and follow-up; and
/// coordinators' corrections: the correction and its audit row in one transaction.
/// </summary>
public sealed class ServiceRecordStore(NpgsqlDataSource database)
{
    private readonly ServiceRecordTable _table = new(database);

    /// <summary>A volunteer's records, newest first, at most <paramref name="limit"/>.</summary>
    public async Task<ServiceRecordDto[]> OfVolunteerAsync(Guid volunteerId, int limit, CancellationToken cancellationToken = default) =>
        [.. (await _table.OfVolunteerAsync(volunteerId, limit, cancellationToken)).Select(Dto)];

    /// <summary>A volunteer's totals since the start of the China month and year of <paramref name="now"/>, and of all time.</summary>
    public async Task<(ServiceTotal Month, ServiceTotal Year, ServiceTotal All)> TotalsAsync(Guid volunteerId, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        var (month, year, all) = await _table.TotalsAsync(volunteerId, ServicePeriod.StartOfChinaMonth(now), ServicePeriod.StartOfChinaYear(now),
            cancellationToken);
        return (ServiceTotal.Of(month.Count, month.Minutes), ServiceTotal.Of(year.Count, year.Minutes), ServiceTotal.Of(all.Count, all.Minutes));
    }

    /// <summary>Every record the filter covers, newest first.</summary>
    public async Task<ServiceRecordDto[]> ListAsync(ServiceRecordFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var rows = await _table.ListAsync(filter.Period.Start, filter.Period.End, filter.StationId, filter.VolunteerId, cancellationToken);
        return [.. rows.Select(Dto)];
    }

    /// <summary>
    /// Sets a record's time to <paramref name="minutes"/> for <paramref name="reason"/>, and records who did it in the audit,
    /// in one transaction; refused when the record does not exist or the time is longer than its request was open.
    /// </summary>
    public async Task<(CorrectionOutcome Outcome, ServiceRecordDto? Record, double OpenMinutes)> CorrectAsync(
        Guid id, double minutes, string reason, ClaimsPrincipal actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var accountId = actor.AccountId();
        var name = actor.Identity?.Name ?? "";
        var (outcome, open) = await _table.CorrectAsync(id, minutes, reason, accountId, name, was => new AuditWrite(
            accountId,
            actor.FindFirstValue(OutreachClaims.Login),
            name,
            string.Join(',', actor.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal)),
            AuditActions.ServiceCorrect,
            AuditActions.Service,
            id,
            string.Create(CultureInfo.InvariantCulture, $"minutes {was:0.##} → {minutes:0.##}: {reason}")), cancellationToken);
        if (outcome != CorrectionOutcome.Corrected)
            return (outcome, null, open);
        return (outcome, await GetAsync(id, cancellationToken), open);
    }

    public async Task<ServiceRecordDto?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        await _table.GetAsync(id, cancellationToken) is { } row ? Dto(row) : null;

    /// <summary>The record as the API shows it: the time that counts (the correction if there is one), two decimals.</summary>
    private static ServiceRecordDto Dto(ServiceRecordRow r)
    {
        var counted = r.Correction?.Minutes ?? r.Minutes;
        return new ServiceRecordDto(
            r.Id,
            r.RequestId,
            r.Seq,
            r.VolunteerId,
            r.VolunteerName,
            r.StationId,
            Enum.Parse<HelpCategory>(r.Category),
            r.StartedAt,
            r.CompletedAt,
            Math.Round(counted, 2),
            Math.Round(counted / 60, 2),
            Math.Round(r.Minutes, 2),
            r.Satisfied,
            r.Rating,
            r.Correction is { } c ? new ServiceCorrectionDto(Math.Round(c.Minutes, 2), c.Reason, c.ByName, c.At) : null);
    }
}
