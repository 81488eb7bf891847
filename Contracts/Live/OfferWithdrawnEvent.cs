namespace Outreach.Contracts;

/// <summary>Payload of <c>offerWithdrawn</c>: the offer is gone (claimed by someone else, cancelled, re-targeted).</summary>
public sealed record OfferWithdrawnEvent(long Seq, Guid RequestId, string Reason);
