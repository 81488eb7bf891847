using Orleans.Concurrency;
using Outreach.Files;
using Outreach.Grains.Storage;

namespace Outreach.Grains.Files;

/// <summary>Persisted state of one directory shard.</summary>
[GenerateSerializer, Alias("Outreach.DirectoryState`1")]
public sealed class DirectoryState<TEntry>
{
    [Id(0)] public Dictionary<Guid, TEntry> Entries { get; set; } = [];
}

/// <summary>
/// One shard of a list of entities; entity grains keep their own line up to date. Reentrant, with writes
/// coalesced: many entities changing at once (a bulk import) cost a few writes of the shard, not one each.
/// </summary>
[Reentrant]
public sealed class DirectoryGrain<TEntry>(
    [PersistentState("directory", "outreach")] IPersistentState<DirectoryState<TEntry>> state)
    : Grain, IDirectoryGrain<TEntry> where TEntry : IDirectoryEntry
{
    private Dictionary<Guid, TEntry> _entries = [];
    private CoalescedWriter? _writer;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _entries = state.State.Entries;
        _writer = new CoalescedWriter(() =>
        {
            // Write a copy: changes made while the write is in flight must not touch what is being serialized.
            state.State = new DirectoryState<TEntry> { Entries = new Dictionary<Guid, TEntry>(_entries) };
            return state.WriteStateAsync();
        });
        return Task.CompletedTask;
    }

    public Task UpsertAsync(TEntry entry)
    {
        if (_entries.TryGetValue(entry.Id, out var existing) && Equals(existing, entry))
            return Task.CompletedTask;
        _entries[entry.Id] = entry;
        return _writer!.WriteAsync();
    }

    public Task RemoveAsync(Guid id) => _entries.Remove(id) ? _writer!.WriteAsync() : Task.CompletedTask;

    public Task<TEntry[]> ListAsync() => Task.FromResult(_entries.Values.ToArray());
}
