using Outreach.Model;

namespace Outreach.Files;

/// <summary>A member of a worker's family: who they are and how to reach them.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.FamilyMember")]
public sealed record FamilyMember(
    [property: Id(0)] string Name,
    [property: Id(1)] string Relation,
    [property: Id(2)] string? Phone,
    [property: Id(3)] string? Notes);
