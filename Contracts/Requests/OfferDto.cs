using Outreach.Dispatch;
using Outreach.Model;

namespace Outreach.Contracts;

/// <summary>
/// An open offer as a volunteer sees it before claiming: no address, no phone, a rounded position, the distance
/// rounded to 100 m and the ETA to whole minutes (exact figures would point to the door from a few offers).
/// </summary>
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
        view.RequestId, view.Category, view.Urgency, RoundEta(view.EtaMinutes), RoundDistance(view.DistanceM),
        PositionDto.From(view.ApproxPosition), view.CreatedAt, view.Status);

    /// <summary>The ETA a volunteer is shown: whole minutes.</summary>
    public static double RoundEta(double minutes) => Math.Round(minutes, MidpointRounding.AwayFromZero);

    /// <summary>The distance a volunteer is shown: to 100 m.</summary>
    public static double RoundDistance(double metres) => Math.Round(metres / 100, MidpointRounding.AwayFromZero) * 100;
}
