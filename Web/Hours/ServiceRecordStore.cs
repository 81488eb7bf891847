using System.Globalization;
using System.Security.Claims;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using Outreach.Model;
using Outreach.Web.Audit;
using Outreach.Web.Auth;

namespace Outreach.Web.Hours;

/// <summary>Which records a report or an export covers.</summary>
public sealed record ServiceRecordFilter(ServicePeriod Period, Guid? StationId, Guid? VolunteerId);

/// <summary>What became of a correction.</summary>
public enum CorrectionOutcome
{
    Corrected,
    NotFound,
    /// <summary>Longer than the request was open (from its intake to this completion).</summary>
    TooLong,
}

/// <summary>
/// Reads <c>outreach_service_records</c> (migration 0014), which the request grains write with each completion and
/// follow-up, and writes coordinators' corrections: the correction and its audit row in one transaction.
/// </summary>
public sealed class ServiceRecordStore(NpgsqlDataSource database)
{
    private const string Columns = """
        id, request_id, seq, volunteer_id, volunteer_name, station_id, category, started_at, completed_at, minutes,
        satisfied, rating, corrected_minutes, correction_reason, corrected_by_name, corrected_at
        """;

    /// <summary>The time a record counts: the correction if there is one.</summary>
    private const string Counted = "coalesce(corrected_minutes, minutes)";

    /// <summary>A volunteer's records, newest first, at most <paramref name="limit"/>.</summary>
    public async Task<ServiceRecordDto[]> OfVolunteerAsync(Guid volunteerId, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand($"""
            SELECT {Columns} FROM outreach_service_records WHERE volunteer_id = $1 ORDER BY completed_at DESC, id LIMIT $2
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = volunteerId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>A volunteer's totals since the start of the China month and year of <paramref name="now"/>, and of all time.</summary>
    public async Task<(ServiceTotal Month, ServiceTotal Year, ServiceTotal All)> TotalsAsync(Guid volunteerId, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand($"""
            SELECT count(*) FILTER (WHERE completed_at >= $2)::int, coalesce(sum({Counted}) FILTER (WHERE completed_at >= $2), 0),
                   count(*) FILTER (WHERE completed_at >= $3)::int, coalesce(sum({Counted}) FILTER (WHERE completed_at >= $3), 0),
                   count(*)::int, coalesce(sum({Counted}), 0)
            FROM outreach_service_records WHERE volunteer_id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = volunteerId });
        command.Parameters.Add(Time(ServicePeriod.StartOfChinaMonth(now)));
        command.Parameters.Add(Time(ServicePeriod.StartOfChinaYear(now)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (ServiceTotal.Of(reader.GetInt32(0), reader.GetDouble(1)),
                ServiceTotal.Of(reader.GetInt32(2), reader.GetDouble(3)),
                ServiceTotal.Of(reader.GetInt32(4), reader.GetDouble(5)));
    }

    /// <summary>Every record the filter covers, newest first.</summary>
    public async Task<ServiceRecordDto[]> ListAsync(ServiceRecordFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var command = database.CreateCommand();
        var sql = new StringBuilder($"SELECT {Columns} FROM outreach_service_records WHERE completed_at >= $1 AND completed_at < $2");
        command.Parameters.Add(Time(filter.Period.Start));
        command.Parameters.Add(Time(filter.Period.End));
        if (filter.StationId is { } station)
        {
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = station });
            sql.Append(CultureInfo.InvariantCulture, $" AND station_id = ${command.Parameters.Count}");
        }
        if (filter.VolunteerId is { } volunteer)
        {
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = volunteer });
            sql.Append(CultureInfo.InvariantCulture, $" AND volunteer_id = ${command.Parameters.Count}");
        }
        sql.Append(" ORDER BY completed_at DESC, id");
        command.CommandText = sql.ToString();
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>
    /// Sets a record's time to <paramref name="minutes"/> for <paramref name="reason"/>, and records who did it in the audit,
    /// in one transaction; refused when the record does not exist or the time is longer than its request was open.
    /// </summary>
    public async Task<(CorrectionOutcome Outcome, ServiceRecordDto? Record, double OpenMinutes)> CorrectAsync(
        Guid id, double minutes, string reason, ClaimsPrincipal actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        double was, open;
        await using (var read = new NpgsqlCommand($"""
            SELECT {Counted}, extract(epoch FROM completed_at - opened_at) / 60
            FROM outreach_service_records WHERE id = $1 FOR UPDATE
            """, connection, transaction))
        {
            read.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
                return (CorrectionOutcome.NotFound, null, 0);
            (was, open) = (reader.GetDouble(0), Convert.ToDouble(reader.GetValue(1), CultureInfo.InvariantCulture));
        }
        if (minutes > open)
            return (CorrectionOutcome.TooLong, null, open);

        var accountId = actor.AccountId();
        var name = actor.Identity?.Name ?? "";
        await using (var write = new NpgsqlCommand("""
            UPDATE outreach_service_records
            SET corrected_minutes = $2, correction_reason = $3, corrected_by = $4, corrected_by_name = $5, corrected_at = clock_timestamp()
            WHERE id = $1
            """, connection, transaction))
        {
            write.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            write.Parameters.Add(new NpgsqlParameter<double> { TypedValue = minutes });
            write.Parameters.Add(new NpgsqlParameter<string> { TypedValue = reason });
            write.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = accountId });
            write.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
            await write.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var audit = new NpgsqlCommand("""
            INSERT INTO outreach_audit (actor_id, actor_login, actor_name, actor_roles, action, subject_kind, subject_id, detail)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """, connection, transaction))
        {
            var p = audit.Parameters;
            p.Add(new NpgsqlParameter<Guid> { TypedValue = accountId });
            p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)actor.FindFirstValue(OutreachClaims.Login) ?? DBNull.Value });
            p.Add(new NpgsqlParameter<string> { TypedValue = name });
            p.Add(new NpgsqlParameter<string> { TypedValue = string.Join(',', actor.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal)) });
            p.Add(new NpgsqlParameter<string> { TypedValue = AuditActions.ServiceCorrect });
            p.Add(new NpgsqlParameter<string> { TypedValue = AuditActions.Service });
            p.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            p.Add(new NpgsqlParameter<string> { TypedValue = string.Create(CultureInfo.InvariantCulture, $"minutes {was:0.##} → {minutes:0.##}: {reason}") });
            await audit.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return (CorrectionOutcome.Corrected, await GetAsync(id, cancellationToken), open);
    }

    public async Task<ServiceRecordDto?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand($"SELECT {Columns} FROM outreach_service_records WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        return (await ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    private static async Task<ServiceRecordDto[]> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<ServiceRecordDto>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var recorded = reader.GetDouble(9);
            double? corrected = reader.IsDBNull(12) ? null : reader.GetDouble(12);
            var counted = corrected ?? recorded;
            rows.Add(new ServiceRecordDto(
                reader.GetGuid(0),
                reader.GetGuid(1),
                reader.GetInt32(2),
                reader.GetGuid(3),
                reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetGuid(5),
                Enum.Parse<HelpCategory>(reader.GetString(6)),
                reader.GetFieldValue<DateTimeOffset>(7),
                reader.GetFieldValue<DateTimeOffset>(8),
                Math.Round(counted, 2),
                Math.Round(counted / 60, 2),
                Math.Round(recorded, 2),
                reader.IsDBNull(10) ? null : reader.GetBoolean(10),
                reader.IsDBNull(11) ? null : reader.GetInt32(11),
                corrected is { } fixedMinutes
                    ? new ServiceCorrectionDto(Math.Round(fixedMinutes, 2), reader.GetString(13), reader.IsDBNull(14) ? null : reader.GetString(14),
                        reader.GetFieldValue<DateTimeOffset>(15))
                    : null));
        }
        return [.. rows];
    }

    private static NpgsqlParameter<DateTime> Time(DateTimeOffset value) =>
        new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = value.UtcDateTime };
}
