namespace Outreach.Files;

/// <summary>A kind of directory and its number of shards.</summary>
public sealed record DirectoryKind(string Name, int Shards)
{
    /// <summary>The grain key of the shard that holds <paramref name="id"/>.</summary>
    public string KeyFor(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes);
        var shard = (int)(BitConverter.ToUInt32(bytes) % (uint)Shards);
        return KeyOf(shard);
    }

    /// <summary>The grain key of shard number <paramref name="shard"/>.</summary>
    public string KeyOf(int shard) => $"{Name}/{shard}";

    /// <summary>The keys of all shards.</summary>
    public IEnumerable<string> AllKeys() => Enumerable.Range(0, Shards).Select(KeyOf);
}
