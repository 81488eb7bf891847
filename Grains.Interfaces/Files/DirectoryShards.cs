namespace Outreach.Files;

/// <summary>Where a directory entry lives: a fixed number of shards per kind, chosen by the entity id.</summary>
public static class DirectoryShards
{
    /// <summary>The directory of stations (few, one shard).</summary>
    public static readonly DirectoryKind Stations = new("stations", 1);

    /// <summary>The directory of volunteers.</summary>
    public static readonly DirectoryKind Volunteers = new("volunteers", 64);

    /// <summary>The directory of logins (the administrator's account list).</summary>
    public static readonly DirectoryKind Accounts = new("accounts", 4);

    /// <summary>The directory of family service files.</summary>
    public static readonly DirectoryKind FamilyFiles = new("workers", 8);
}
