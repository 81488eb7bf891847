namespace Outreach.Contracts;

/// <summary>Payload of <c>requestUpdated</c>: the request's full view after a change.</summary>
public sealed record RequestUpdatedEvent(long Seq, RequestDto Request);
