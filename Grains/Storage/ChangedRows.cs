namespace Outreach.Grains.Storage;

/// <summary>
/// Write-through for a reentrant grain that holds many small entries in memory and keeps one row each in a
/// table (a dispatch cell, a directory shard): a change marks its key, and coalesced batches write every
/// marked key as memory holds it at that moment (present → upsert, absent → delete). A change costs its own
/// row, never the whole set; a crowd of changes at once shares a few batches.
/// </summary>
public sealed class ChangedRows<TEntry>
{
    private readonly IReadOnlyDictionary<Guid, TEntry> _entries;
    private readonly Func<IReadOnlyCollection<TEntry>, IReadOnlyCollection<Guid>, Task> _save;
    private readonly HashSet<Guid> _changed = [];
    private readonly CoalescedWriter _writer;

    /// <param name="entries">The grain's entries by key; read when a batch is written.</param>
    /// <param name="save">Writes the upserts and deletes the removals, all or nothing.</param>
    public ChangedRows(IReadOnlyDictionary<Guid, TEntry> entries, Func<IReadOnlyCollection<TEntry>, IReadOnlyCollection<Guid>, Task> save)
    {
        _entries = entries;
        _save = save;
        _writer = new CoalescedWriter(WriteChangedAsync);
    }

    /// <summary>Stores the key's entry as it is now, or its absence; completes once a batch holding it is stored.</summary>
    public Task SaveAsync(Guid key)
    {
        _changed.Add(key);
        return _writer.WriteAsync();
    }

    private async Task WriteChangedAsync()
    {
        var keys = _changed.ToArray();
        _changed.Clear();
        var upserts = new List<TEntry>(keys.Length);
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
        catch
        {
            _changed.UnionWith(keys); // written again with the next change
            throw;
        }
    }
}
