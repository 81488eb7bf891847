using System.Security.Claims;
using System.Threading.Channels;
using Npgsql;
using Outreach.Web.Auth;

namespace Outreach.Web.Audit;

/// <summary>
/// The audit in PostgreSQL (<c>outreach_audit</c>, migration 0010, through its owner <see cref="AuditTable"/>): INSERT
/// and SELECT only. Records are written with
/// group commit: whatever callers wait while one write is on its way go together in the next (one transaction), so a
/// busy node writes a few batches a second instead of a commit per read; an idle one writes each record at once.
/// Every caller still returns only when its own rows are stored, and gets the write's exception if they are not; a
/// batch that fails is tried again row set by row set, so one caller's bad row never fails the others.
/// </summary>
public sealed class AuditLog : IAuditLog, IDisposable
{
    /// <summary>The actions <see cref="ChangesAsync"/> lists: a family file's creation and its edits.</summary>
    private static readonly string[] _fileChanges = [AuditActions.FileCreate, AuditActions.FileUpdate];

    /// <summary>The most entries one write takes.</summary>
    private const int MaxBatch = 500;

    private readonly AuditTable _table;
    private readonly ILogger<AuditLog> _log;
    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    /// <summary>One caller's rows and the task it waits on.</summary>
    private sealed record Pending(AuditWrite[] Rows, TaskCompletionSource Done);

    public AuditLog(NpgsqlDataSource database, ILogger<AuditLog> log)
    {
        _table = new AuditTable(database);
        _log = log;
        _writer = Task.Run(WriteAllAsync);
    }

    public async Task RecordAsync(ClaimsPrincipal actor, IReadOnlyCollection<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
            return;
        var (accountId, login, name, roles) = Who(actor);
        var pending = new Pending([.. entries.Select(e => new AuditWrite(accountId, login, name, roles, e.Action, e.SubjectKind, e.SubjectId, e.Detail, e.At))],
            new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(!_pending.Writer.TryWrite(pending), this);
        await pending.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// The row that records <paramref name="action"/> on a request, for the request's own save to write with it
    /// (<see cref="Outreach.Dispatch.AuditLine"/>): the same who as <see cref="RecordAsync"/> writes.
    /// </summary>
    public static Outreach.Dispatch.AuditLine LineOf(ClaimsPrincipal actor, string action, string subjectKind, string? detail)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (accountId, login, name, roles) = Who(actor);
        return new Outreach.Dispatch.AuditLine(accountId, login, name, roles, action, subjectKind, detail);
    }

    /// <summary>Who acted, as a row records them: the account, its login and name, and its roles then (sorted, comma-separated).</summary>
    private static (Guid? AccountId, string? Login, string? Name, string Roles) Who(ClaimsPrincipal actor) =>
        (Guid.TryParse(actor.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null,
         actor.FindFirstValue(OutreachClaims.Login),
         actor.Identity?.Name,
         string.Join(',', actor.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal)));

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

    private Task WriteAsync(IEnumerable<AuditWrite> rows) => _table.WriteAsync(rows);

    public void Dispose()
    {
        // Records already waiting are still written; nothing new is taken.
        _pending.Writer.TryComplete();
        _writer.Wait(TimeSpan.FromSeconds(10));
    }

    public async Task<AuditRecord[]> ChangesAsync(Guid subjectId, CancellationToken cancellationToken = default) =>
        [.. (await _table.ChangesAsync(subjectId, _fileChanges, cancellationToken)).Select(Record)];

    public async Task<AuditPage> QueryAsync(AuditFilter filter, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var rows = await _table.QueryAsync(filter.Subject, filter.ActorId, filter.ActorLogin, filter.From, filter.To,
            limit: pageSize + 1, offset: (long)(page - 1) * pageSize, cancellationToken);
        return new AuditPage([.. rows.Take(pageSize).Select(Record)], page, pageSize, rows.Length > pageSize);
    }

    private static AuditRecord Record(AuditRow r) =>
        new(r.Id, r.At, r.ActorId, r.ActorLogin, r.ActorName, r.ActorRoles, r.Action, r.SubjectKind, r.SubjectId, r.Detail);
}
