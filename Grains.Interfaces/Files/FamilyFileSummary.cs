namespace Outreach.Files;

/// <summary>One line of the list of family files; <see cref="PairedVolunteerIds"/> lets a volunteer find the families paired with them.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.WorkerSummary")]
public sealed record FamilyFileSummary(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string WorkerName,
    [property: Id(2)] string? Posting,
    [property: Id(3)] string[] Phones,
    [property: Id(4)] string? HomeAddress,
    [property: Id(5)] Guid[]? PairedVolunteerIds = null) : IDirectoryEntry;
