using Outreach.Dispatch;

namespace Outreach.Live;

/// <summary>
/// A new offer for one volunteer, whole (each volunteer has their own ETA and distance). Grains hand offers on as
/// <see cref="OfferRound"/>s, which <see cref="OfferRound.Of"/> makes of these.
/// </summary>
public sealed record OfferNotice(Guid VolunteerId, OfferView Offer);
