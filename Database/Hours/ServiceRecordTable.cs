using System.Data;
using System.Globalization;
using System.Text;
using Npgsql;
using static Outreach.Database.ColumnReads;

namespace Outreach.Database;

/// <summary>
/// A request's service record (志愿时长) as the request grains write it: its completion number, the volunteer, from
/// setting off to completion, and the family's answer at the follow-up.
/// </summary>
public sealed record ServiceRow(int Seq, Guid VolunteerId, string VolunteerName, DateTimeOffset StartedAt, DateTimeOffset CompletedAt,
    bool? Satisfied, int? Rating);

/// <summary>One row of <c>outreach_service_records</c> as read: the minutes as recorded, and the correction if there is one.</summary>
public sealed record ServiceRecordRow(
    Guid Id,
    Guid RequestId,
    int Seq,
    Guid VolunteerId,
    string VolunteerName,
    Guid? StationId,
    string Category,
    DateTimeOffset StartedAt,
    DateTimeOffset CompletedAt,
    double Minutes,
    bool? Satisfied,
    int? Rating,
    ServiceCorrectionRow? Correction);

/// <summary>A coordinator's correction as stored: the minutes that count now, why, by whom (their name then), when.</summary>
public sealed record ServiceCorrectionRow(double Minutes, string Reason, string? ByName, DateTimeOffset At);

/// <summary>How many records and their minutes (corrections counted).</summary>
public readonly record struct ServiceSum(int Count, double Minutes);

/// <summary>What became of a correction.</summary>
public enum CorrectionOutcome
{
    Corrected,
    NotFound,
    /// <summary>Longer than the request was open (from its intake to this completion).</summary>
    TooLong,
}

/// <summary>
/// The one owner of <c>outreach_service_records</c> (migration 0014). The request grains write a record with each
/// completion and follow-up, in the same statement as the request's state (<see cref="RequestTable"/>'s save joins
/// <see cref="SavedWithRequestSql"/>); the web reads, totals and corrects them here, the correction with its audit row
/// (<see cref="AuditTable"/>) in one transaction. No other code has SQL against this table.
/// </summary>
public sealed class ServiceRecordTable(NpgsqlDataSource database)
{
    private const string Columns = """
        id, request_id, seq, volunteer_id, volunteer_name, station_id, category, started_at, completed_at, minutes,
        satisfied, rating, corrected_minutes, correction_reason, corrected_by_name, corrected_at
        """;

    /// <summary>The time a record counts: the correction if there is one.</summary>
    private const string Counted = "coalesce(corrected_minutes, minutes)";

    /// <summary>
    /// The statement (a data-modifying CTE, <c>served</c>) that writes a request's service records with its save:
    /// only if the save's CTE <c>saved</c> wrote the row. The request's id is <c>$1</c>; its station, category and
    /// creation are the parameters <paramref name="station"/>, <paramref name="category"/>, <paramref name="createdAt"/>;
    /// the records' arrays start at <paramref name="first"/> (<see cref="AddSavedWithRequestParameters"/>).
    /// </summary>
    internal static string SavedWithRequestSql(int first, int station, int category, int createdAt) => $"""
        , served AS (
            INSERT INTO outreach_service_records (request_id, seq, volunteer_id, volunteer_name, station_id, category,
                opened_at, started_at, completed_at, minutes, satisfied, rating)
            SELECT $1, s.seq, s.v, s.n, ${station}, ${category}, ${createdAt}, s.st, s.ct,
                   extract(epoch FROM s.ct - s.st) / 60, s.sat, s.rat
            FROM unnest(${first}::integer[], ${first + 1}::uuid[], ${first + 2}::text[], ${first + 3}::timestamptz[],
                        ${first + 4}::timestamptz[], ${first + 5}::boolean[], ${first + 6}::integer[])
                AS s(seq, v, n, st, ct, sat, rat)
            WHERE EXISTS (SELECT 1 FROM saved)
            ON CONFLICT (request_id, seq) DO UPDATE SET satisfied = EXCLUDED.satisfied, rating = EXCLUDED.rating
        )
        """;

    /// <summary>How many parameters <see cref="SavedWithRequestSql"/> takes.</summary>
    internal const int SavedWithRequestParameters = 7;

    /// <summary>The parameters of <see cref="SavedWithRequestSql"/>, in its order.</summary>
    internal static void AddSavedWithRequestParameters(NpgsqlParameterCollection p, IReadOnlyList<ServiceRow> services)
    {
        p.Add(new NpgsqlParameter<int[]> { TypedValue = [.. services.Select(e => e.Seq)] });
        p.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. services.Select(e => e.VolunteerId)] });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. services.Select(e => e.VolunteerName)] });
        p.Add(new NpgsqlParameter<DateTime[]> { TypedValue = [.. services.Select(e => e.StartedAt.UtcDateTime)] });
        p.Add(new NpgsqlParameter<DateTime[]> { TypedValue = [.. services.Select(e => e.CompletedAt.UtcDateTime)] });
        p.Add(new NpgsqlParameter<bool?[]> { TypedValue = [.. services.Select(e => e.Satisfied)] });
        p.Add(new NpgsqlParameter<int?[]> { TypedValue = [.. services.Select(e => e.Rating)] });
    }

    /// <summary>A volunteer's records, newest first, at most <paramref name="limit"/>.</summary>
    public async Task<ServiceRecordRow[]> OfVolunteerAsync(Guid volunteerId, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand($"""
            SELECT {Columns} FROM outreach_service_records WHERE volunteer_id = $1 ORDER BY completed_at DESC, id LIMIT $2
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = volunteerId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>A volunteer's totals of the records completed since <paramref name="monthStart"/>, since <paramref name="yearStart"/>, and of all time.</summary>
    public async Task<(ServiceSum Month, ServiceSum Year, ServiceSum All)> TotalsAsync(Guid volunteerId, DateTimeOffset monthStart,
        DateTimeOffset yearStart, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand($"""
            SELECT count(*) FILTER (WHERE completed_at >= $2)::int AS month_count,
                   coalesce(sum({Counted}) FILTER (WHERE completed_at >= $2), 0) AS month_minutes,
                   count(*) FILTER (WHERE completed_at >= $3)::int AS year_count,
                   coalesce(sum({Counted}) FILTER (WHERE completed_at >= $3), 0) AS year_minutes,
                   count(*)::int AS all_count, coalesce(sum({Counted}), 0) AS all_minutes
            FROM outreach_service_records WHERE volunteer_id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = volunteerId });
        command.Parameters.Add(Time(monthStart));
        command.Parameters.Add(Time(yearStart));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (new ServiceSum(reader.GetInt32("month_count"), reader.GetDouble("month_minutes")),
                new ServiceSum(reader.GetInt32("year_count"), reader.GetDouble("year_minutes")),
                new ServiceSum(reader.GetInt32("all_count"), reader.GetDouble("all_minutes")));
    }

    /// <summary>Every record completed in [<paramref name="from"/>, <paramref name="to"/>), of a station and a volunteer if given, newest first.</summary>
    public async Task<ServiceRecordRow[]> ListAsync(DateTimeOffset from, DateTimeOffset to, Guid? stationId, Guid? volunteerId,
        CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand();
        var sql = new StringBuilder($"SELECT {Columns} FROM outreach_service_records WHERE completed_at >= $1 AND completed_at < $2");
        command.Parameters.Add(Time(from));
        command.Parameters.Add(Time(to));
        if (stationId is { } station)
        {
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = station });
            sql.Append(CultureInfo.InvariantCulture, $" AND station_id = ${command.Parameters.Count}");
        }
        if (volunteerId is { } volunteer)
        {
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = volunteer });
            sql.Append(CultureInfo.InvariantCulture, $" AND volunteer_id = ${command.Parameters.Count}");
        }
        sql.Append(" ORDER BY completed_at DESC, id");
        command.CommandText = sql.ToString();
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>One record; null when there is none.</summary>
    public async Task<ServiceRecordRow?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand($"SELECT {Columns} FROM outreach_service_records WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        return (await ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>
    /// Sets a record's time to <paramref name="minutes"/> for <paramref name="reason"/> (by <paramref name="byId"/>, named
    /// <paramref name="byName"/>) and writes the audit row <paramref name="audit"/> makes of the minutes it had, in one
    /// transaction; refused when the record does not exist or the time is longer than its request was open
    /// (<c>OpenMinutes</c>: from its intake to this completion).
    /// </summary>
    public async Task<(CorrectionOutcome Outcome, double OpenMinutes)> CorrectAsync(Guid id, double minutes, string reason, Guid byId,
        string byName, Func<double, AuditWrite> audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audit);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        double was, open;
        await using (var read = new NpgsqlCommand($"""
            SELECT {Counted} AS counted, extract(epoch FROM completed_at - opened_at) / 60 AS open_minutes
            FROM outreach_service_records WHERE id = $1 FOR UPDATE
            """, connection, transaction))
        {
            read.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
                return (CorrectionOutcome.NotFound, 0);
            (was, open) = (reader.GetDouble("counted"), Convert.ToDouble(reader.GetValue("open_minutes"), CultureInfo.InvariantCulture));
        }
        if (minutes > open)
            return (CorrectionOutcome.TooLong, open);

        await using (var write = new NpgsqlCommand("""
            UPDATE outreach_service_records
            SET corrected_minutes = $2, correction_reason = $3, corrected_by = $4, corrected_by_name = $5, corrected_at = clock_timestamp()
            WHERE id = $1
            """, connection, transaction))
        {
            write.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            write.Parameters.Add(new NpgsqlParameter<double> { TypedValue = minutes });
            write.Parameters.Add(new NpgsqlParameter<string> { TypedValue = reason });
            write.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = byId });
            write.Parameters.Add(new NpgsqlParameter<string> { TypedValue = byName });
            await write.ExecuteNonQueryAsync(cancellationToken);
        }
        await AuditTable.WriteAsync(connection, transaction, audit(was), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (CorrectionOutcome.Corrected, open);
    }

    private static async Task<ServiceRecordRow[]> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<ServiceRecordRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var corrected = reader.OrNull<double>("corrected_minutes");
            rows.Add(new ServiceRecordRow(
                reader.GetGuid("id"),
                reader.GetGuid("request_id"),
                reader.GetInt32("seq"),
                reader.GetGuid("volunteer_id"),
                reader.GetString("volunteer_name"),
                reader.OrNull<Guid>("station_id"),
                reader.GetString("category"),
                reader.GetFieldValue<DateTimeOffset>("started_at"),
                reader.GetFieldValue<DateTimeOffset>("completed_at"),
                reader.GetDouble("minutes"),
                reader.OrNull<bool>("satisfied"),
                reader.OrNull<int>("rating"),
                corrected is { } fixedMinutes
                    ? new ServiceCorrectionRow(fixedMinutes, reader.GetString("correction_reason"), reader.StringOrNull("corrected_by_name"),
                        reader.GetFieldValue<DateTimeOffset>("corrected_at"))
                    : null));
        }
        return [.. rows];
    }
}
