namespace Outreach.Files;

/// <summary>
/// What an operator writes into a family service file (家庭服务档案); <see cref="PairedVolunteerIds"/>: the volunteers
/// paired with the family (一对一结对), offered its requests first (null in files saved before pairing).
/// </summary>
[GenerateSerializer, Immutable, Alias("Outreach.WorkerFileInput")]
public sealed record FamilyFileInput(
    [property: Id(0)] string WorkerName,
    [property: Id(1)] string? WorkerPhone,
    [property: Id(2)] string? Posting,
    [property: Id(3)] FamilyMember[] FamilyMembers,
    [property: Id(4)] FamilyAddress[] Addresses,
    [property: Id(5)] string? Notes,
    [property: Id(6)] Guid[]? PairedVolunteerIds = null);
