using Outreach.Dispatch;
using Outreach.Live;

namespace Outreach.Reach;

/// <summary>
/// A stored change of a request, as the reach grain needs it: the request as stored (its status, station, assignee
/// and the caller's phone, which never leaves the silo except in the family's own SMS), the offers just made and
/// the volunteers whose offer was just withdrawn. <see cref="First"/>: the notice of the request's first stored version,
/// sent once by the request grain that stored it (a repeat of the effects after a retry or a new activation is not).
/// <see cref="OffersWithDevices"/>: which volunteers of <see cref="Offers"/> have a push device, as the statement that stored the offers
/// read it — null when not read with them (a repeat); the reach grain then looks them up itself.
/// </summary>
[GenerateSerializer, Immutable, Alias("Outreach.ReachNotice")]
public sealed record ReachNotice(
    [property: Id(0)] HelpRequestView Request,
    [property: Id(1)] OfferRound[] Offers,
    [property: Id(2)] Guid[] Withdrawn,
    [property: Id(3)] string WithdrawReason,
    [property: Id(4)] bool First = false,
    [property: Id(5)] Guid[]? OffersWithDevices = null);
