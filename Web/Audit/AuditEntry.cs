namespace Outreach.Web.Audit;

/// <summary>
/// One access to record: what was done (<see cref="AuditActions"/>) to which subject, and a detail that names the kind
/// of read or the parts changed — never a phone number, an address or any other value of personal data.
/// </summary>
public sealed record AuditEntry(string Action, string SubjectKind, Guid? SubjectId, string? Detail = null, DateTimeOffset? At = null);
