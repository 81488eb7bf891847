namespace Outreach.Contracts;

/// <summary>One row of the audit as administrators read it.</summary>
public sealed record AuditRecord(
    long Id,
    DateTimeOffset At,
    Guid? ActorId,
    string? ActorLogin,
    string? ActorName,
    string ActorRoles,
    string Action,
    string SubjectKind,
    Guid? SubjectId,
    string? Detail);

/// <summary>A page of the audit, newest first; <see cref="HasMore"/> when an older page exists.</summary>
public sealed record AuditPage(AuditRecord[] Items, int Page, int PageSize, bool HasMore);
