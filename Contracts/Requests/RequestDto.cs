using Outreach.Dispatch;
using Outreach.Model;

namespace Outreach.Contracts;

/// <summary>A help request as the API and the live hub show it to its rightful viewers (the full view).</summary>
public sealed record RequestDto
{
    public required Guid Id { get; init; }
    public required RequestStatus Status { get; init; }
    public bool Escalated { get; init; }
    public required HelpCategory Category { get; init; }
    public required Urgency Urgency { get; init; }
    public required PositionDto Position { get; init; }
    public required string Address { get; init; }
    public required string Description { get; init; }
    public required string CallerPhone { get; init; }
    public Guid? WorkerId { get; init; }
    public Guid? StationId { get; init; }
    public required int OfferedCount { get; init; }
    public required double CircleMinutes { get; init; }
    public Guid? AssignedVolunteerId { get; init; }
    public string? AssignedVolunteerName { get; init; }
    public string? AssignedVolunteerPhone { get; init; }
    public double? AssignedEtaMinutes { get; init; }
    public required Guid CreatedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ClaimedAt { get; init; }
    public DateTimeOffset? EnRouteAt { get; init; }
    public DateTimeOffset? OnSiteAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public DateTimeOffset? DeadlineAt { get; init; }
    public FollowUpRecord? FollowUp { get; init; }
    public required int Version { get; init; }

    /// <summary>The care plan this request is an occurrence of (null for a call to the hotline), and the visit's window.</summary>
    public Guid? CarePlanId { get; init; }
    public DateTimeOffset? WindowFrom { get; init; }
    public DateTimeOffset? WindowTo { get; init; }

    public static RequestDto From(HelpRequestView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new RequestDto
        {
            Id = view.Id,
            Status = view.Status,
            Escalated = view.Escalated,
            Category = view.Category,
            Urgency = view.Urgency,
            Position = PositionDto.From(view.Position),
            Address = view.Address,
            Description = view.Description,
            CallerPhone = view.CallerPhone,
            WorkerId = view.WorkerId,
            StationId = view.StationId,
            OfferedCount = view.OfferedCount,
            CircleMinutes = view.CircleMinutes,
            AssignedVolunteerId = view.AssignedVolunteerId,
            AssignedVolunteerName = view.AssignedVolunteerName,
            AssignedVolunteerPhone = view.AssignedVolunteerPhone,
            AssignedEtaMinutes = view.AssignedEtaMinutes,
            CreatedBy = view.CreatedBy,
            CreatedAt = view.CreatedAt,
            ClaimedAt = view.ClaimedAt,
            EnRouteAt = view.EnRouteAt,
            OnSiteAt = view.OnSiteAt,
            CompletedAt = view.CompletedAt,
            ClosedAt = view.ClosedAt,
            DeadlineAt = view.DeadlineAt,
            FollowUp = view.FollowUp,
            Version = view.Version,
            CarePlanId = view.CarePlanId,
            WindowFrom = view.WindowFrom,
            WindowTo = view.WindowTo,
        };
    }
}
