using System.Security.Claims;
using System.Text;
using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;
using Outreach.Web.Auth;

namespace Outreach.Web.Audit;

/// <summary>
/// The audit in PostgreSQL (<c>outreach_audit</c>, migration 0010): INSERT and SELECT only. Records are written with
/// group commit: whatever callers wait while one write is on its way go together in the next (one transaction), so a
/// busy node writes a few batches a second instead of a commit per read; an idle one writes each record at once.
/// Every caller still returns only when its own rows are stored, and gets the write's exception if they are not; a
/// batch that fails is tried again row set by row set, so one caller's bad row never fails the others.
/// </summary>
public sealed class AuditLog : IAuditLog, IDisposable
{
    private const string Columns = "id, at, actor_id, actor_login, actor_name, actor_roles, action, subject_kind, subject_id, detail";

    /// <summary>The most entries one write takes.</summary>
    private const int MaxBatch = 500;

    private readonly NpgsqlDataSource _database;
    private readonly ILogger<AuditLog> _log;
    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    /// <summary>One caller's rows and the task it waits on.</summary>
    private sealed record Pending(AuditRow[] Rows, TaskCompletionSource Done);

    /// <summary>One row of <c>outreach_audit</c> as written.</summary>
    private sealed record AuditRow(Guid? ActorId, string? Login, string? Name, string Roles, AuditEntry Entry);

    public AuditLog(NpgsqlDataSource database, ILogger<AuditLog> log)
    {
        _database = database;
        _log = log;
        _writer = Task.Run(WriteAllAsync);
    }

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
        var pending = new Pending([.. entries.Select(e => new AuditRow(accountId, login, name, roles, e))],
            new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(!_pending.Writer.TryWrite(pending), this);
        await pending.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The writer: takes what waits (up to <see cref="MaxBatch"/> rows), writes it in one transaction, answers each caller.</summary>
    private async Task WriteAllAsync()
    {
        var batch = new List<Pending>();
        while (await _pending.Reader.WaitToReadAsync())
        {
            batch.Clear();
            var rows = 0;
            while (rows < MaxBatch && _pending.Reader.TryRead(out var next))
            {
                batch.Add(next);
                rows += next.Rows.Length;
            }
            try
            {
                await WriteAsync(batch.SelectMany(p => p.Rows));
                foreach (var pending in batch)
                    pending.Done.TrySetResult();
            }
            catch (Exception e) when (batch.Count > 1)
            {
                // One caller's row may be what failed: each caller's rows alone, each answered with its own outcome.
                _log.LogWarning("An audit batch of {Count} callers failed ({Reason}); writing each alone", batch.Count, e.GetType().Name);
                foreach (var pending in batch)
                    await WriteAloneAsync(pending);
            }
            catch (Exception e)
            {
                batch[0].Done.TrySetException(e);
            }
        }
    }

    private async Task WriteAloneAsync(Pending pending)
    {
        try
        {
            await WriteAsync(pending.Rows);
            pending.Done.TrySetResult();
        }
        catch (Exception e)
        {
            pending.Done.TrySetException(e);
        }
    }

    private async Task WriteAsync(IEnumerable<AuditRow> rows)
    {
        await using var batch = _database.CreateBatch();
        foreach (var row in rows)
        {
            var command = new NpgsqlBatchCommand("""
                INSERT INTO outreach_audit (at, actor_id, actor_login, actor_name, actor_roles, action, subject_kind, subject_id, detail)
                VALUES (coalesce($1, clock_timestamp()), $2, $3, $4, $5, $6, $7, $8, $9)
                """);
            var entry = row.Entry;
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)entry.At?.UtcDateTime ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = (object?)row.ActorId ?? DBNull.Value });
            command.Parameters.Add(Text(row.Login));
            command.Parameters.Add(Text(row.Name));
            command.Parameters.Add(Text(row.Roles));
            command.Parameters.Add(Text(entry.Action));
            command.Parameters.Add(Text(entry.SubjectKind));
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = (object?)entry.SubjectId ?? DBNull.Value });
            command.Parameters.Add(Text(entry.Detail));
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync();
    }

    public void Dispose()
    {
        // Records already waiting are still written; nothing new is taken.
        _pending.Writer.TryComplete();
        _writer.Wait(TimeSpan.FromSeconds(10));
    }

    public async Task<AuditRecord[]> ChangesAsync(Guid subjectId, CancellationToken cancellationToken = default)
    {
        await using var command = _database.CreateCommand($"""
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
        await using var command = _database.CreateCommand();
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
