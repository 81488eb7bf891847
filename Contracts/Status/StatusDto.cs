using Outreach.Dispatch;
using Outreach.Model;

namespace Outreach.Contracts;

/// <summary>
/// What the family's status page shows (<c>GET /api/status/{token}</c>): the status and its words, the volunteer's
/// surname and ETA once someone is coming, the hotline. Never an address, a phone number, a description or a full name.
/// </summary>
public sealed record StatusDto(
    RequestStatus Status,
    string Text,
    string? VolunteerSurname,
    int? EtaMinutes,
    DateTimeOffset? ExpectedBy,
    double? VolunteerDistanceM,
    string Hotline,
    DateTimeOffset UpdatedAt)
{
    public static StatusDto From(HelpRequestView request, string hotline, double? distanceM)
    {
        var coming = Lifecycle.IsComing(request.Status);
        var surname = IsAssignedOrDone(request.Status) && request.AssignedVolunteerName is { } name ? Surnames.Of(name) : null;
        int? eta = coming && request.AssignedEtaMinutes is { } minutes ? Math.Max(1, (int)Math.Ceiling(minutes)) : null;
        DateTimeOffset? expectedBy = coming && request.ClaimedAt is { } claimed && request.AssignedEtaMinutes is { } m ? claimed.AddMinutes(m) : null;
        return new StatusDto(request.Status, TextOf(request.Status, surname, eta, hotline), surname, eta, expectedBy,
            coming ? distanceM : null, hotline, LastChangeOf(request));
    }

    /// <summary>A volunteer carries the request or has done it: the page names them (by surname).</summary>
    private static bool IsAssignedOrDone(RequestStatus status) => Lifecycle.IsAssigned(status) || status == RequestStatus.Completed;

    private static string TextOf(RequestStatus status, string? surname, int? eta, string hotline) => status switch
    {
        RequestStatus.New or RequestStatus.Offered => "正在为您联系附近的志愿者，请稍候。",
        RequestStatus.Claimed => $"志愿者{surname}师傅已接单，预计{eta}分钟到达。",
        RequestStatus.EnRoute => $"志愿者{surname}师傅正在赶来，预计{eta}分钟到达。",
        RequestStatus.OnSite => $"志愿者{surname}师傅已到达。",
        RequestStatus.Completed => $"服务已完成。如不满意请致电热线{hotline}。",
        _ => $"本次求助已取消。如有需要请致电热线{hotline}。",
    };

    private static DateTimeOffset LastChangeOf(HelpRequestView r) =>
        new[] { r.CreatedAt, r.ClaimedAt, r.EnRouteAt, r.OnSiteAt, r.CompletedAt, r.ClosedAt }.Max(t => t ?? DateTimeOffset.MinValue);
}
