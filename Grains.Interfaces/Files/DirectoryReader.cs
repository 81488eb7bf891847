using Outreach.Cluster;

namespace Outreach.Files;

/// <summary>Reading a whole directory: every shard asked at once, the entries merged.</summary>
public static class DirectoryReader
{
    /// <summary>Every entry of the directory of <paramref name="kind"/>.</summary>
    public static async Task<TEntry[]> ListDirectoryAsync<TEntry>(this IGrainFactory grains, DirectoryKind kind)
        where TEntry : IDirectoryEntry
    {
        var shards = await Task.WhenAll(kind.AllKeys().Select(key => grains.Get<IDirectoryGrain<TEntry>>(key).ListAsync()));
        return [.. shards.SelectMany(s => s)];
    }
}
