using Outreach.Dispatch;
using Outreach.Model;
using Outreach.Web.Validation;

namespace Outreach.Web.Dispatch;

/// <summary>An open offer as a volunteer sees it before claiming: no address, no phone, a rounded position.</summary>
public sealed record OfferDto(
    Guid RequestId,
    HelpCategory Category,
    Urgency Urgency,
    double EtaMinutes,
    double DistanceM,
    PositionDto ApproxPosition,
    DateTimeOffset CreatedAt,
    RequestStatus Status)
{
    public static OfferDto From(OfferView view) => new(
        view.RequestId, view.Category, view.Urgency, view.EtaMinutes, view.DistanceM,
        PositionDto.From(view.ApproxPosition), view.CreatedAt, view.Status);
}
