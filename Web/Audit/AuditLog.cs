using System.Security.Claims;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using Outreach.Web.Auth;

namespace Outreach.Web.Audit;

/// <summary>The audit in PostgreSQL (<c>outreach_audit</c>, migration 0010): INSERT and SELECT only.</summary>
public sealed class AuditLog(NpgsqlDataSource database) : IAuditLog
{
    private const string Columns = "id, at, actor_id, actor_login, actor_name, actor_roles, action, subject_kind, subject_id, detail";

    public async Task RecordAsync(ClaimsPrincipal actor, IReadOnlyCollection<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
            return;
        Guid? accountId = Guid.TryParse(actor.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
        var login = actor.FindFirstValue(OutreachClaims.Login);
        var name = actor.Identity?.Name;
        var roles = string.Join(',', actor.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal));

        await using var batch = database.CreateBatch();
        foreach (var entry in entries)
        {
            var command = new NpgsqlBatchCommand("""
                INSERT INTO outreach_audit (at, actor_id, actor_login, actor_name, actor_roles, action, subject_kind, subject_id, detail)
                VALUES (coalesce($1, clock_timestamp()), $2, $3, $4, $5, $6, $7, $8, $9)
                """);
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)entry.At?.UtcDateTime ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = (object?)accountId ?? DBNull.Value });
            command.Parameters.Add(Text(login));
            command.Parameters.Add(Text(name));
            command.Parameters.Add(Text(roles));
            command.Parameters.Add(Text(entry.Action));
            command.Parameters.Add(Text(entry.SubjectKind));
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = (object?)entry.SubjectId ?? DBNull.Value });
            command.Parameters.Add(Text(entry.Detail));
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<AuditRecord[]> ChangesAsync(Guid subjectId, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand($"""
            SELECT {Columns} FROM outreach_audit
            WHERE subject_id = $1 AND action IN ('{AuditActions.FileCreate}', '{AuditActions.FileUpdate}')
            ORDER BY at, id
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = subjectId });
        return await ReadAsync(command, cancellationToken);
    }

    public async Task<AuditPage> QueryAsync(AuditFilter filter, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        await using var command = database.CreateCommand();
        var sql = new StringBuilder($"SELECT {Columns} FROM outreach_audit WHERE true");
        void Where(string condition, NpgsqlParameter parameter)
        {
            command.Parameters.Add(parameter);
            sql.Append(" AND ").Append(condition.Replace("@", "$" + command.Parameters.Count, StringComparison.Ordinal));
        }
        if (filter.Subject is { } subject)
            Where("subject_id = @", new NpgsqlParameter<Guid> { TypedValue = subject });
        if (filter.ActorId is { } actorId)
            Where("actor_id = @", new NpgsqlParameter<Guid> { TypedValue = actorId });
        if (filter.ActorLogin is { } login)
            Where("lower(actor_login) = lower(@)", new NpgsqlParameter<string> { TypedValue = login });
        if (filter.From is { } from)
            Where("at >= @", new NpgsqlParameter<DateTime> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = from.UtcDateTime });
        if (filter.To is { } to)
            Where("at < @", new NpgsqlParameter<DateTime> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = to.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = pageSize + 1 });
        sql.Append(" ORDER BY at DESC, id DESC LIMIT $").Append(command.Parameters.Count);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = (long)(page - 1) * pageSize });
        sql.Append(" OFFSET $").Append(command.Parameters.Count);
        command.CommandText = sql.ToString();
        var rows = await ReadAsync(command, cancellationToken);
        return new AuditPage(rows.Take(pageSize).ToArray(), page, pageSize, rows.Length > pageSize);
    }

    private static async Task<AuditRecord[]> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<AuditRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new AuditRecord(
                reader.GetInt64(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.IsDBNull(2) ? null : reader.GetGuid(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6),
                reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetGuid(8),
                reader.IsDBNull(9) ? null : reader.GetString(9)));
        }
        return [.. rows];
    }

    private static NpgsqlParameter Text(string? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };
}
