using Outreach.Model;

namespace Outreach.Database;

/// <summary>One request as the ledger records it: no address, no phone, no description; enums as their names.</summary>
public sealed record RequestRow
{
    public required Guid Id { get; init; }
    public required int Version { get; init; }
    public required string Status { get; init; }
    public bool Escalated { get; init; }
    public required string Category { get; init; }
    public required string Urgency { get; init; }
    public required GeoPoint Position { get; init; }
    public Guid? StationId { get; init; }
    public Guid? WorkerId { get; init; }
    public required Guid CreatedBy { get; init; }
    public Guid? AssignedVolunteerId { get; init; }
    public required int OfferedCount { get; init; }
    public required double CircleMinutes { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ClaimedAt { get; init; }
    public DateTimeOffset? EnRouteAt { get; init; }
    public DateTimeOffset? OnSiteAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public DateTimeOffset? DeadlineAt { get; init; }
    public bool? FollowUpSatisfied { get; init; }
    public int? FollowUpRating { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }
}
