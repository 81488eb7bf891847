using Outreach.Model;

namespace Outreach.Dispatch;

/// <summary>
/// What a volunteer sees of a request before claiming it: category, urgency, their ETA and distance and a
/// position rounded to about 200 m — never the address, the phone or the description.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("Outreach.OfferView")]
public sealed record OfferView(
    [property: Id(0)] Guid RequestId,
    [property: Id(1)] HelpCategory Category,
    [property: Id(2)] Urgency Urgency,
    [property: Id(3)] double EtaMinutes,
    [property: Id(4)] double DistanceM,
    [property: Id(5)] GeoPoint ApproxPosition,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] RequestStatus Status);
