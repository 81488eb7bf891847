using Outreach.Dispatch;
using Outreach.Model;

namespace Outreach.Contracts;

/// <summary>A help request as the API and the live hub show it to its rightful viewers (the full view).</summary>
public sealed record RequestDto(
    Guid Id,
    RequestStatus Status,
    bool Escalated,
    HelpCategory Category,
    Urgency Urgency,
    PositionDto Position,
    string Address,
    string Description,
    string CallerPhone,
    Guid? WorkerId,
    Guid? StationId,
    int OfferedCount,
    double CircleMinutes,
    Guid? AssignedVolunteerId,
    string? AssignedVolunteerName,
    string? AssignedVolunteerPhone,
    double? AssignedEtaMinutes,
    Guid CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ClaimedAt,
    DateTimeOffset? EnRouteAt,
    DateTimeOffset? OnSiteAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset? DeadlineAt,
    FollowUpRecord? FollowUp,
    int Version)
{
    public static RequestDto From(HelpRequestView view) => new(
        view.Id, view.Status, view.Escalated, view.Category, view.Urgency, PositionDto.From(view.Position),
        view.Address, view.Description, view.CallerPhone, view.WorkerId, view.StationId, view.OfferedCount,
        view.CircleMinutes, view.AssignedVolunteerId, view.AssignedVolunteerName, view.AssignedVolunteerPhone,
        view.AssignedEtaMinutes, view.CreatedBy, view.CreatedAt, view.ClaimedAt, view.EnRouteAt, view.OnSiteAt,
        view.CompletedAt, view.ClosedAt, view.DeadlineAt, view.FollowUp, view.Version);
}
