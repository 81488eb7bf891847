using System.Text.Json;
using System.Text.Json.Serialization;
using Outreach.Dispatch;

namespace Outreach.Grains.Reach;

/// <summary>
/// What a push message carries to the service worker (encrypted end to end, RFC 8291): an offer with the fields of the
/// live offer — category, urgency, the ETA in whole minutes and the distance to 100 m — or a withdrawal. Never the
/// address, the phone, the description or a position.
/// </summary>
public static class PushPayload
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary><c>{ type: "offer", requestId, category, urgency, etaMinutes, distanceM, createdAt }</c>.</summary>
    public static string Offer(OfferView offer) => JsonSerializer.Serialize(new OfferMessage(
        "offer", offer.RequestId, offer.Category, offer.Urgency,
        Math.Round(offer.EtaMinutes, MidpointRounding.AwayFromZero),
        Math.Round(offer.DistanceM / 100, MidpointRounding.AwayFromZero) * 100,
        offer.CreatedAt), Json);

    /// <summary><c>{ type: "withdrawn", requestId, reason }</c> (the reason is one of the hub's codes, <see cref="Outreach.Live.WithdrawalReasons"/>).</summary>
    public static string Withdrawn(Guid requestId, string reason) =>
        JsonSerializer.Serialize(new WithdrawnMessage("withdrawn", requestId, reason), Json);

    private sealed record OfferMessage(
        string Type, Guid RequestId, Model.HelpCategory Category, Model.Urgency Urgency, double EtaMinutes, double DistanceM, DateTimeOffset CreatedAt);

    private sealed record WithdrawnMessage(string Type, Guid RequestId, string Reason);
}
