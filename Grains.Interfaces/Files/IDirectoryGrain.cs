namespace Outreach.Files;

/// <summary>
/// One shard of a list of entities (stations, volunteers, family files), so that listing them never
/// activates every entity grain. Keys are <c>{kind}/{shard}</c>; see <see cref="DirectoryShards"/>.
/// </summary>
[Alias("Outreach.IDirectoryGrain`1")]
public interface IDirectoryGrain<TEntry> : IGrainWithStringKey where TEntry : IDirectoryEntry
{
    /// <summary>Adds or replaces the entry with the same id.</summary>
    [Alias("Upsert")]
    Task UpsertAsync(TEntry entry);

    /// <summary>Removes the entry with this id, if present.</summary>
    [Alias("Remove")]
    Task RemoveAsync(Guid id);

    /// <summary>Every entry of this shard.</summary>
    [Alias("List")]
    Task<TEntry[]> ListAsync();
}
