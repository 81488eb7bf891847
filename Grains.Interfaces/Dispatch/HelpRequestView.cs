using Outreach.Model;

namespace Outreach.Dispatch;

/// <summary>
/// A request as its rightful viewers see it (coordinators, the operator who took the call, the assigned
/// volunteer). Volunteers who have not claimed it get a <see cref="OfferView"/> instead.
/// </summary>
[GenerateSerializer, Immutable, Alias("Outreach.HelpRequestView")]
public sealed record HelpRequestView
{
    [Id(0)] public required Guid Id { get; init; }
    [Id(1)] public required RequestStatus Status { get; init; }
    [Id(2)] public bool Escalated { get; init; }
    [Id(3)] public required HelpCategory Category { get; init; }
    [Id(4)] public required Urgency Urgency { get; init; }
    [Id(5)] public required GeoPoint Position { get; init; }
    [Id(6)] public required string Address { get; init; }
    [Id(7)] public required string Description { get; init; }
    [Id(8)] public required string CallerPhone { get; init; }
    [Id(9)] public Guid? WorkerId { get; init; }
    [Id(10)] public Guid? StationId { get; init; }
    [Id(11)] public required int OfferedCount { get; init; }
    [Id(12)] public required double CircleMinutes { get; init; }
    [Id(13)] public Guid? AssignedVolunteerId { get; init; }
    [Id(14)] public string? AssignedVolunteerName { get; init; }
    [Id(15)] public double? AssignedEtaMinutes { get; init; }
    [Id(16)] public required Guid CreatedBy { get; init; }
    [Id(17)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(18)] public DateTimeOffset? ClaimedAt { get; init; }
    [Id(19)] public DateTimeOffset? EnRouteAt { get; init; }
    [Id(20)] public DateTimeOffset? OnSiteAt { get; init; }
    [Id(21)] public DateTimeOffset? CompletedAt { get; init; }
    [Id(22)] public DateTimeOffset? ClosedAt { get; init; }
    [Id(23)] public DateTimeOffset? DeadlineAt { get; init; }
    [Id(24)] public FollowUpRecord? FollowUp { get; init; }
    [Id(25)] public required int Version { get; init; }
    [Id(26)] public string? AssignedVolunteerPhone { get; init; }
    /// <summary>The care plan this request is an occurrence of, and the visit's window.</summary>
    [Id(27)] public Guid? CarePlanId { get; init; }
    [Id(28)] public DateTimeOffset? WindowFrom { get; init; }
    [Id(29)] public DateTimeOffset? WindowTo { get; init; }
}
