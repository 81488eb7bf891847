using System.Data;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using static Outreach.Database.ColumnReads;

namespace Outreach.Database;

/// <summary>
/// One row of <c>outreach_audit</c> to write: who (their account, login, name and roles then), what, on what; <see cref="At"/>
/// null for the database's clock.
/// </summary>
public sealed record AuditWrite(Guid? ActorId, string? ActorLogin, string? ActorName, string? ActorRoles, string Action, string SubjectKind,
    Guid? SubjectId, string? Detail, DateTimeOffset? At = null);

/// <summary>One row of <c>outreach_audit</c> as read.</summary>
public sealed record AuditRow(long Id, DateTimeOffset At, Guid? ActorId, string? ActorLogin, string? ActorName, string ActorRoles,
    string Action, string SubjectKind, Guid? SubjectId, string? Detail);

/// <summary>
/// The one owner of <c>outreach_audit</c> (migration 0010): INSERT and SELECT only. The web's <c>AuditLog</c> writes
/// through it (<see cref="WriteAsync(IEnumerable{AuditWrite}, CancellationToken)"/>, many rows in one batch) and reads
/// it (<see cref="ChangesAsync"/>, <see cref="QueryAsync"/>); a write that must commit with another table's (a service
/// record's correction, <see cref="ServiceRecordTable"/>) adds its row to that transaction
/// (<see cref="WriteAsync(NpgsqlConnection, NpgsqlTransaction, AuditWrite, CancellationToken)"/>). No other code has SQL
/// against this table.
/// </summary>
public sealed class AuditTable(NpgsqlDataSource database)
{
    private const string Columns = "id, at, actor_id, actor_login, actor_name, actor_roles, action, subject_kind, subject_id, detail";

    private const string InsertSql = """
        INSERT INTO outreach_audit (at, actor_id, actor_login, actor_name, actor_roles, action, subject_kind, subject_id, detail)
        VALUES (coalesce($1, clock_timestamp()), $2, $3, $4, $5, $6, $7, $8, $9)
        """;

    /// <summary>
    /// The statement (a data-modifying CTE, <c>audited</c>) that writes one row with a request's save, only if the save's
    /// CTE <c>saved</c> wrote the request's row: its columns are the parameters from <paramref name="first"/> on, in the
    /// order of <see cref="AddParameters"/> (<see cref="AddSavedWithRequestParameters"/>).
    /// </summary>
    internal static string SavedWithRequestSql(int first) => $"""
        , audited AS (
            INSERT INTO outreach_audit (at, actor_id, actor_login, actor_name, actor_roles, action, subject_kind, subject_id, detail)
            SELECT coalesce(${first}, clock_timestamp()), ${first + 1}, ${first + 2}, ${first + 3}, ${first + 4}, ${first + 5},
                   ${first + 6}, ${first + 7}, ${first + 8}
            WHERE EXISTS (SELECT 1 FROM saved)
        )
        """;

    /// <summary>The parameters of <see cref="SavedWithRequestSql"/>, in its order: the row's, as a write of its own takes them.</summary>
    internal static void AddSavedWithRequestParameters(NpgsqlParameterCollection p, AuditWrite row)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(row);
        AddParameters(p, row);
    }

    /// <summary>Writes <paramref name="rows"/> in one batch (one implicit transaction: all or none).</summary>
    public async Task WriteAsync(IEnumerable<AuditWrite> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await using var batch = database.CreateBatch();
        foreach (var row in rows)
        {
            var command = new NpgsqlBatchCommand(InsertSql);
            AddParameters(command.Parameters, row);
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Writes <paramref name="row"/> in the caller's <paramref name="transaction"/>, to commit with what else it writes.</summary>
    public static async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AuditWrite row,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        await using var command = new NpgsqlCommand(InsertSql, connection, transaction);
        AddParameters(command.Parameters, row);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The rows of <paramref name="actions"/> on <paramref name="subjectId"/>, oldest first.</summary>
    public async Task<AuditRow[]> ChangesAsync(Guid subjectId, string[] actions, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand($"""
            SELECT {Columns} FROM outreach_audit
            WHERE subject_id = $1 AND action = ANY($2)
            ORDER BY at, id
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = subjectId });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = actions });
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>
    /// The rows matching every criterion given (login without regard to case; <paramref name="from"/> inclusive,
    /// <paramref name="to"/> exclusive), newest first: at most <paramref name="limit"/> after skipping <paramref name="offset"/>.
    /// </summary>
    public async Task<AuditRow[]> QueryAsync(Guid? subject, Guid? actorId, string? actorLogin, DateTimeOffset? from, DateTimeOffset? to,
        int limit, long offset, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand();
        var sql = new StringBuilder($"SELECT {Columns} FROM outreach_audit WHERE true");
        void Where(string condition, NpgsqlParameter parameter)
        {
            command.Parameters.Add(parameter);
            sql.Append(" AND ").Append(condition.Replace("@", "$" + command.Parameters.Count, StringComparison.Ordinal));
        }
        if (subject is { } subjectId)
            Where("subject_id = @", new NpgsqlParameter<Guid> { TypedValue = subjectId });
        if (actorId is { } actor)
            Where("actor_id = @", new NpgsqlParameter<Guid> { TypedValue = actor });
        if (actorLogin is { } login)
            Where("lower(actor_login) = lower(@)", new NpgsqlParameter<string> { TypedValue = login });
        if (from is { } since)
            Where("at >= @", new NpgsqlParameter<DateTime> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = since.UtcDateTime });
        if (to is { } until)
            Where("at < @", new NpgsqlParameter<DateTime> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = until.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        sql.Append(" ORDER BY at DESC, id DESC LIMIT $").Append(command.Parameters.Count);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = offset });
        sql.Append(" OFFSET $").Append(command.Parameters.Count);
        command.CommandText = sql.ToString();
        return await ReadAsync(command, cancellationToken);
    }

    private static void AddParameters(NpgsqlParameterCollection p, AuditWrite row)
    {
        p.Add(Time(row.At));
        p.Add(OrDbNull(NpgsqlDbType.Uuid, row.ActorId));
        p.Add(Text(row.ActorLogin));
        p.Add(Text(row.ActorName));
        p.Add(Text(row.ActorRoles));
        p.Add(Text(row.Action));
        p.Add(Text(row.SubjectKind));
        p.Add(OrDbNull(NpgsqlDbType.Uuid, row.SubjectId));
        p.Add(Text(row.Detail));
    }

    private static async Task<AuditRow[]> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<AuditRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new AuditRow(
                reader.GetInt64("id"),
                reader.GetFieldValue<DateTimeOffset>("at"),
                reader.OrNull<Guid>("actor_id"),
                reader.StringOrNull("actor_login"),
                reader.StringOrNull("actor_name"),
                reader.GetString("actor_roles"),
                reader.GetString("action"),
                reader.GetString("subject_kind"),
                reader.OrNull<Guid>("subject_id"),
                reader.StringOrNull("detail")));
        }
        return [.. rows];
    }
}
