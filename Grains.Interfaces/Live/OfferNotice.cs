using Outreach.Dispatch;

namespace Outreach.Live;

/// <summary>A new offer for one volunteer (each volunteer has their own ETA and distance).</summary>
/// <remarks>
/// Not reference-tracked by the serializer: a round's fifty notices and their views are plain values, and tracking
/// them made every web node build an overflow table of references for each round it received.
/// </remarks>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("Outreach.OfferNotice")]
public sealed record OfferNotice([property: Id(0)] Guid VolunteerId, [property: Id(1)] OfferView Offer);
