using Outreach.Dispatch;

namespace Outreach.Live;

/// <summary>A new offer for one volunteer (each volunteer has their own ETA and distance).</summary>
[GenerateSerializer, Immutable, Alias("Outreach.OfferNotice")]
public sealed record OfferNotice([property: Id(0)] Guid VolunteerId, [property: Id(1)] OfferView Offer);
