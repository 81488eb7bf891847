using Outreach.Dispatch;
using Outreach.Model;

namespace Outreach.Contracts;

/// <summary>Payload of <c>offer</c>: a new offer for the volunteer of the group it is sent to (ETA and distance rounded as in <see cref="OfferDto"/>).</summary>
public sealed record OfferEvent(
    long Seq,
    Guid RequestId,
    HelpCategory Category,
    Urgency Urgency,
    double EtaMinutes,
    double DistanceM,
    PositionDto ApproxPosition,
    DateTimeOffset CreatedAt)
{
    public static OfferEvent From(long seq, OfferView offer) => new(
        seq, offer.RequestId, offer.Category, offer.Urgency, OfferDto.RoundEta(offer.EtaMinutes), OfferDto.RoundDistance(offer.DistanceM),
        PositionDto.From(offer.ApproxPosition), offer.CreatedAt);
}
