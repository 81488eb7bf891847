using Outreach.Model;

namespace Outreach.Dispatch;

/// <summary>
/// A request as its rightful viewers see it (coordinators, the operator who took the call, the assigned
/// volunteer). Volunteers who have not claimed it get a <see cref="OfferView"/> instead.
/// </summary>
[GenerateSerializer, Immutable, Alias("Outreach.HelpRequestView")]
public sealed record HelpRequestView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] RequestStatus Status,
    [property: Id(2)] bool Escalated,
    [property: Id(3)] HelpCategory Category,
    [property: Id(4)] Urgency Urgency,
    [property: Id(5)] GeoPoint Position,
    [property: Id(6)] string Address,
    [property: Id(7)] string Description,
    [property: Id(8)] string CallerPhone,
    [property: Id(9)] Guid? WorkerId,
    [property: Id(10)] Guid? StationId,
    [property: Id(11)] int OfferedCount,
    [property: Id(12)] double CircleMinutes,
    [property: Id(13)] Guid? AssignedVolunteerId,
    [property: Id(14)] string? AssignedVolunteerName,
    [property: Id(15)] double? AssignedEtaMinutes,
    [property: Id(16)] Guid CreatedBy,
    [property: Id(17)] DateTimeOffset CreatedAt,
    [property: Id(18)] DateTimeOffset? ClaimedAt,
    [property: Id(19)] DateTimeOffset? EnRouteAt,
    [property: Id(20)] DateTimeOffset? OnSiteAt,
    [property: Id(21)] DateTimeOffset? CompletedAt,
    [property: Id(22)] DateTimeOffset? ClosedAt,
    [property: Id(23)] DateTimeOffset? DeadlineAt,
    [property: Id(24)] FollowUpRecord? FollowUp,
    [property: Id(25)] int Version,
    [property: Id(26)] string? AssignedVolunteerPhone);
