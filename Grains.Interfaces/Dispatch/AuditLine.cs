namespace Outreach.Dispatch;

/// <summary>
/// The audit row a change of a request writes in the statement that stores it, so the change is never stored without
/// it: who (their account, login, name and roles then), what, and a note. Its subject is the request.
/// </summary>
[GenerateSerializer, Immutable, Alias("Outreach.AuditLine")]
public sealed record AuditLine(
    [property: Id(0)] Guid? ActorId,
    [property: Id(1)] string? ActorLogin,
    [property: Id(2)] string? ActorName,
    [property: Id(3)] string ActorRoles,
    [property: Id(4)] string Action,
    [property: Id(5)] string SubjectKind,
    [property: Id(6)] string? Detail);
