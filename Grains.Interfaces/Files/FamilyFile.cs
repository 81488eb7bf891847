using Outreach.Model;

namespace Outreach.Files;

/// <summary>
/// A family service file as stored: the operator's input plus its identity and its latest changes (<see cref="Changes"/>,
/// a few; the whole trail is the audit table, written by the web from the change each save returns).
/// </summary>
[GenerateSerializer, Immutable, Alias("Outreach.WorkerFile")]
public sealed record FamilyFile(
    [property: Id(0)] Guid Id,
    [property: Id(1)] FamilyFileInput Data,
    [property: Id(2)] string[] Phones,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset UpdatedAt,
    [property: Id(5)] Change[] Changes);
