using System.Security.Claims;

namespace Outreach.Web.Audit;

/// <summary>
/// The one place the web records who read or changed personal data (<c>outreach_audit</c>, append-only). A read is
/// recorded before the data is answered: when the record cannot be written the caller gets an error, not the data.
/// </summary>
public interface IAuditLog
{
    /// <summary>Records <paramref name="entries"/> as done by <paramref name="actor"/> (account id, login, name, roles).</summary>
    Task RecordAsync(ClaimsPrincipal actor, IReadOnlyCollection<AuditEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>The changes of a subject (<c>file.create</c>, <c>file.update</c>), oldest first: a family file's whole trail.</summary>
    Task<AuditRecord[]> ChangesAsync(Guid subjectId, CancellationToken cancellationToken = default);

    /// <summary>One page of the audit, newest first.</summary>
    Task<AuditPage> QueryAsync(AuditFilter filter, int page, int pageSize, CancellationToken cancellationToken = default);
}

/// <summary>Shorthands for one entry.</summary>
public static class AuditLogExtensions
{
    public static Task RecordAsync(this IAuditLog audit, ClaimsPrincipal actor, string action, string subjectKind, Guid? subjectId,
        string? detail = null, DateTimeOffset? at = null)
    {
        ArgumentNullException.ThrowIfNull(audit);
        return audit.RecordAsync(actor, [new AuditEntry(action, subjectKind, subjectId, detail, at)]);
    }
}
