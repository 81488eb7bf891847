using Outreach.Model;

namespace Outreach.Web.Dispatch;

/// <summary>One request as the ledger records it: no address, no phone, no description; enums as their names.</summary>
public sealed record RequestRow(
    Guid Id,
    int Version,
    string Status,
    bool Escalated,
    string Category,
    string Urgency,
    GeoPoint Position,
    Guid? StationId,
    Guid? WorkerId,
    Guid CreatedBy,
    Guid? AssignedVolunteerId,
    int OfferedCount,
    double CircleMinutes,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ClaimedAt,
    DateTimeOffset? EnRouteAt,
    DateTimeOffset? OnSiteAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset? DeadlineAt,
    bool? FollowUpSatisfied,
    int? FollowUpRating,
    DateTimeOffset RecordedAt);
