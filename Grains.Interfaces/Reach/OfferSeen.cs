namespace Outreach.Reach;

/// <summary>A device of this volunteer showed the request's offer, on this channel (the live page, or a push).</summary>
[GenerateSerializer, Immutable, Alias("Outreach.OfferSeen")]
public readonly record struct OfferSeen(
    [property: Id(0)] Guid VolunteerId,
    [property: Id(1)] ReachChannel Channel);
