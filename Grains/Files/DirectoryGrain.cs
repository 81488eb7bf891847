using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Outreach.Files;
using Outreach.Grains.Storage;

namespace Outreach.Grains.Files;

/// <summary>A directory shard as the versions before migration 0008 stored it: one blob of all its entries.</summary>
[GenerateSerializer, Alias("Outreach.DirectoryState`1")]
public sealed class DirectoryState<TEntry>
{
    [Id(0)] public Dictionary<Guid, TEntry> Entries { get; set; } = [];
}

/// <summary>
/// One shard of a list of entities; entity grains keep their own line up to date. The entries live in memory
/// and one row each in the <see cref="IDirectoryStore"/>; a change writes its own row. Reentrant, with writes
/// coalesced: many entities changing at once (a bulk import) share a few batches. A row the database refuses fails
/// only the calls that saved it, and the shard then deactivates once idle, so the next activation lists what is
/// stored rather than what could not be written.
/// </summary>
[Reentrant]
public sealed class DirectoryGrain<TEntry>(
    [PersistentState("directory", SiloSetup.StorageName)] IPersistentState<DirectoryState<TEntry>> legacy,
    IDirectoryStore store,
    ILogger<DirectoryGrain<TEntry>> log)
    : Grain, IDirectoryGrain<TEntry> where TEntry : IDirectoryEntry
{
    private readonly Dictionary<Guid, TEntry> _entries = [];
    private ChangedRows<TEntry>? _rows;

    private string Shard => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var entry in await store.LoadAsync<TEntry>(Shard, cancellationToken))
            _entries[entry.Id] = entry;
        _rows = new ChangedRows<TEntry>(_entries, (upserts, removals) => store.SaveAsync(Shard, upserts, removals),
            owner: "directory " + Shard, log: log, failed: (_, _) => this.DeactivateOnIdle());
        if (legacy.State.Entries.Count > 0)
            await MoveLegacyBlobAsync(cancellationToken);
    }

    public Task UpsertAsync(TEntry entry)
    {
        if (_entries.TryGetValue(entry.Id, out var existing) && Equals(existing, entry) && !_rows!.IsUnsaved(entry.Id))
            return Task.CompletedTask;
        _entries[entry.Id] = entry;
        return _rows!.SaveAsync(entry.Id);
    }

    public Task RemoveAsync(Guid id) => _entries.Remove(id) || _rows!.IsUnsaved(id) ? _rows!.SaveAsync(id) : Task.CompletedTask;

    public Task<TEntry[]> ListAsync() => Task.FromResult(_entries.Values.ToArray());

    /// <summary>
    /// The shard's blob from before migration 0008 becomes rows (a row already there is newer and wins), then the
    /// blob is cleared; if anything fails the activation fails and the next one tries again, so nothing is lost.
    /// </summary>
    private async Task MoveLegacyBlobAsync(CancellationToken cancellationToken)
    {
        var moved = legacy.State.Entries.Values.Where(e => !_entries.ContainsKey(e.Id)).ToArray();
        await store.SaveAsync(Shard, moved, [], cancellationToken);
        foreach (var entry in moved)
            _entries[entry.Id] = entry;
        await legacy.ClearStateAsync(cancellationToken);
    }
}
