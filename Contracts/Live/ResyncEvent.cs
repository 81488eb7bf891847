namespace Outreach.Contracts;

/// <summary>
/// Payload of <c>resync</c>: events to this connection may have been missed (the cluster lost a silo), so the page
/// re-reads its state. Carries no <c>seq</c>: it is not one of the numbered events.
/// </summary>
public sealed record ResyncEvent(string Reason);
