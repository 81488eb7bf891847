namespace Outreach.Contracts;

/// <summary>Payload of <c>requestUpdated</c> for a volunteer the request no longer concerns: the masked view.</summary>
public sealed record MaskedRequestUpdatedEvent(long Seq, MaskedRequestDto Request);
