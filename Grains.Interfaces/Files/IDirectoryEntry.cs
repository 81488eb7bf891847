namespace Outreach.Files;

/// <summary>An entry a directory grain can hold: anything with a stable id.</summary>
public interface IDirectoryEntry
{
    /// <summary>The id of the entity the entry describes.</summary>
    Guid Id { get; }
}
