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
        return new HelpRequestView(
            id ?? Guid.NewGuid(),
            status,
            escalated,
            category,
            Urgency.Urgent,
            new GeoPoint(35.7650, 115.0250),
            Address,
            Description,
            CallerPhone,
            Guid.NewGuid(),
            stationId,
            3,
            15,
            claimedAfter is null ? null : Guid.NewGuid(),
            claimedAfter is null ? null : "孙志愿",
            claimedAfter is null ? null : 7.5,
            Guid.NewGuid(),
            createdAt,
            After(claimedAfter),
            After(onSiteAfter is { } s ? s / 2 : null),
            After(onSiteAfter),
            After(completedAfter),
            closedAt,
            createdAt.AddMinutes(5),
            followUp,
            version,
            claimedAfter is null ? null : "13800001111");
    }
}
