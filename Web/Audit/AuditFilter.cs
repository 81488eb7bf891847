namespace Outreach.Web.Audit;

/// <summary>What administrators filter the audit by; every part optional.</summary>
public sealed record AuditFilter(Guid? Subject, Guid? ActorId, string? ActorLogin, DateTimeOffset? From, DateTimeOffset? To);
