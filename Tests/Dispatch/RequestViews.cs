using Outreach.Dispatch;
using Outreach.Model;

namespace Outreach.Tests.Dispatch;

/// <summary>Scripted request views with known times, for recording through the ledger.</summary>
public static class RequestViews
{
    /// <summary>The personal fields every scripted view carries, which the ledger must not keep.</summary>
    public const string Address = "华龙区 胜利路 100号 3单元 502";
    public const string Description = "老人血压高，需要送药";
    public const string CallerPhone = "13912345678";

    /// <summary>A view created at <paramref name="createdAt"/>; the other times are offsets from it, in minutes.</summary>
    public static HelpRequestView Create(
        DateTimeOffset createdAt,
        RequestStatus status = RequestStatus.Offered,
        HelpCategory category = HelpCategory.Groceries,
        Guid? stationId = null,
        bool escalated = false,
        double? claimedAfter = null,
        double? onSiteAfter = null,
        double? completedAfter = null,
        int version = 1,
        Guid? id = null,
        FollowUpRecord? followUp = null)
    {
        DateTimeOffset? After(double? minutes) => minutes is { } m ? createdAt.AddMinutes(m) : null;
        var closedAt = status is RequestStatus.Completed or RequestStatus.Cancelled
            ? After(completedAfter) ?? createdAt.AddMinutes(60)
            : (DateTimeOffset?)null;
        return new HelpRequestView
        {
            Id = id ?? Guid.NewGuid(),
            Status = status,
            Escalated = escalated,
            Category = category,
            Urgency = Urgency.Urgent,
            Position = new GeoPoint(35.7650, 115.0250),
            Address = Address,
            Description = Description,
            CallerPhone = CallerPhone,
            WorkerId = Guid.NewGuid(),
            StationId = stationId,
            OfferedCount = 3,
            CircleMinutes = 15,
            AssignedVolunteerId = claimedAfter is null ? null : Guid.NewGuid(),
            AssignedVolunteerName = claimedAfter is null ? null : "孙志愿",
            AssignedVolunteerPhone = claimedAfter is null ? null : "13800001111",
            AssignedEtaMinutes = claimedAfter is null ? null : 7.5,
            CreatedBy = Guid.NewGuid(),
            CreatedAt = createdAt,
            ClaimedAt = After(claimedAfter),
            EnRouteAt = After(onSiteAfter is { } s ? s / 2 : null),
            OnSiteAt = After(onSiteAfter),
            CompletedAt = After(completedAfter),
            ClosedAt = closedAt,
            DeadlineAt = createdAt.AddMinutes(5),
            FollowUp = followUp,
            Version = version,
        };
    }
}
