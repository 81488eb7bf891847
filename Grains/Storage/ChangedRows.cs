using Microsoft.Extensions.Logging;
using Outreach.Database;

namespace Outreach.Grains.Storage;

/// <summary>
/// Write-through for a reentrant grain that holds many small entries in memory and keeps one row each in a
/// table (a dispatch cell, a directory shard): a change marks its key, and coalesced batches write every
/// marked key as memory holds it at that moment (present → upsert, absent → delete). A change costs its own
/// row, never the whole set; a crowd of changes at once shares a few batches.
/// </summary>
/// <remarks>
/// One bad row never holds the others back: when a batch fails with an error that belongs to its rows (not a
/// lost connection or a timeout, <see cref="RowBatch.IsRowError"/>), the batch is halved and each half written
/// again, down to the row at fault. Only the <see cref="SaveAsync"/> calls of that row fail; the others complete
/// once their rows are stored. A failed row is not carried into later batches: it is written again only when
/// its key is saved again (<see cref="IsUnsaved"/> lets the grain know it must).
/// </remarks>
public sealed class ChangedRows<TEntry>
{
    private readonly IReadOnlyDictionary<Guid, TEntry> _entries;
    private readonly Func<IReadOnlyCollection<TEntry>, IReadOnlyCollection<Guid>, Task> _save;
    private readonly Func<Exception, bool> _isRowError;
    private readonly Action<Guid, Exception>? _failed;
    private readonly ILogger? _log;
    private readonly string _owner;
    private readonly Dictionary<Guid, TaskCompletionSource> _changed = [];
    private readonly HashSet<Guid> _unsaved = [];
    private readonly CoalescedWriter _writer;

    /// <param name="entries">The grain's entries by key; read when a batch is written.</param>
    /// <param name="save">Writes the upserts and deletes the removals, all or nothing.</param>
    /// <param name="owner">What the rows belong to (a cell or shard key), for the log; never personal data.</param>
    /// <param name="log">Where a row that cannot be written is reported (its key and the error's kind, not its content).</param>
    /// <param name="failed">Told of each row whose write failed, after its callers are.</param>
    /// <param name="isRowError">Whether a failed batch is worth splitting to find the row at fault; <see cref="RowBatch.IsRowError"/> by default.</param>
    public ChangedRows(IReadOnlyDictionary<Guid, TEntry> entries, Func<IReadOnlyCollection<TEntry>, IReadOnlyCollection<Guid>, Task> save,
        string owner = "", ILogger? log = null, Action<Guid, Exception>? failed = null, Func<Exception, bool>? isRowError = null)
    {
        _entries = entries;
        _save = save;
        _owner = owner;
        _log = log;
        _failed = failed;
        _isRowError = isRowError ?? RowBatch.IsRowError;
        _writer = new CoalescedWriter(WriteChangedAsync);
    }

    /// <summary>
    /// Stores the key's entry as it is now, or its absence; completes once a batch holding it (begun after this
    /// call) has stored it, or fails with the error that kept this row out.
    /// </summary>
    public Task SaveAsync(Guid key)
    {
        if (!_changed.TryGetValue(key, out var waiter))
            _changed[key] = waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = _writer.WriteAsync(); // never faults: every outcome goes to the waiters
        return waiter.Task;
    }

    /// <summary>Whether the key's last write failed, so memory may differ from its row until it is saved again.</summary>
    public bool IsUnsaved(Guid key) => _unsaved.Contains(key);

    private async Task WriteChangedAsync()
    {
        var batch = _changed.ToArray();
        _changed.Clear();
        var failures = new Dictionary<Guid, Exception>();
        try
        {
            await WriteAsync(new ArraySegment<Guid>([.. batch.Select(b => b.Key)]), failures);
        }
        catch (Exception unexpected)
        {
            foreach (var (key, _) in batch)
                failures.TryAdd(key, unexpected);
        }
        foreach (var (key, waiter) in batch)
        {
            if (failures.TryGetValue(key, out var error))
            {
                _unsaved.Add(key);
                waiter.TrySetException(error);
                _failed?.Invoke(key, error);
            }
            else
            {
                _unsaved.Remove(key);
                waiter.TrySetResult();
            }
        }
    }

    /// <summary>Writes the keys' rows; on a row error, each half again, so only the rows at fault end in <paramref name="failures"/>.</summary>
    private async Task WriteAsync(ArraySegment<Guid> keys, Dictionary<Guid, Exception> failures)
    {
        var upserts = new List<TEntry>(keys.Count);
        var removals = new List<Guid>();
        foreach (var key in keys)
        {
            if (_entries.TryGetValue(key, out var entry))
                upserts.Add(entry);
            else
                removals.Add(key);
        }
        try
        {
            await _save(upserts, removals);
        }
        catch (Exception error) when (keys.Count > 1 && _isRowError(error))
        {
            var half = keys.Count / 2;
            await WriteAsync(keys[..half], failures);
            await WriteAsync(keys[half..], failures);
        }
        catch (Exception error)
        {
            foreach (var key in keys)
                failures[key] = error;
            if (_log is not null && keys.Count == 1 && _isRowError(error))
                RowsLog.RowRefused(_log, keys[0], _owner, error.GetType().Name, RowBatch.SqlStateOf(error));
            else if (_log is not null)
                RowsLog.BatchFailed(_log, keys.Count, _owner, error.GetType().Name, RowBatch.SqlStateOf(error));
        }
    }
}

internal static partial class RowsLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Row {Key} of {Owner} was refused by the database ({ErrorType}, SQL state {SqlState}); the other rows of its batch were written, and it is written again only when it changes again")]
    public static partial void RowRefused(ILogger logger, Guid key, string owner, string errorType, string? sqlState);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} row(s) of {Owner} could not be written ({ErrorType}, SQL state {SqlState}); their callers are told")]
    public static partial void BatchFailed(ILogger logger, int count, string owner, string errorType, string? sqlState);
}
