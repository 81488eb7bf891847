using Outreach.Files;

namespace Outreach.Grains.Files;

/// <summary>Persisted state of one directory shard.</summary>
[GenerateSerializer, Alias("Outreach.DirectoryState`1")]
public sealed class DirectoryState<TEntry>
{
    [Id(0)] public Dictionary<Guid, TEntry> Entries { get; set; } = [];
}

/// <summary>One shard of a list of entities; entity grains keep their own line up to date.</summary>
public sealed class DirectoryGrain<TEntry>(
    [PersistentState("directory", "outreach")] IPersistentState<DirectoryState<TEntry>> state)
    : Grain, IDirectoryGrain<TEntry> where TEntry : IDirectoryEntry
{
    public async Task UpsertAsync(TEntry entry)
    {
        if (state.State.Entries.TryGetValue(entry.Id, out var existing) && Equals(existing, entry))
            return;
        state.State.Entries[entry.Id] = entry;
        await state.WriteStateAsync();
    }

    public async Task RemoveAsync(Guid id)
    {
        if (state.State.Entries.Remove(id))
            await state.WriteStateAsync();
    }

    public Task<TEntry[]> ListAsync() => Task.FromResult(state.State.Entries.Values.ToArray());
}
