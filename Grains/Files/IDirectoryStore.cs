using Outreach.Files;

namespace Outreach.Grains.Files;

/// <summary>Where directory shards keep their entries: one row per entry, as JSON.</summary>
public interface IDirectoryStore
{
    /// <summary>Every entry stored for the shard.</summary>
    Task<IReadOnlyList<TEntry>> LoadAsync<TEntry>(string shard, CancellationToken cancellationToken = default)
        where TEntry : IDirectoryEntry;

    /// <summary>Writes the given entries and deletes the rows of the given ids, all or nothing.</summary>
    Task SaveAsync<TEntry>(string shard, IReadOnlyCollection<TEntry> upserts, IReadOnlyCollection<Guid> removals,
        CancellationToken cancellationToken = default)
        where TEntry : IDirectoryEntry;
}
