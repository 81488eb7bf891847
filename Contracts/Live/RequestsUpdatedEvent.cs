namespace Outreach.Contracts;

/// <summary>
/// Payload of <c>requestsUpdated</c>, to the coordinators' pages at most once a second: each request that changed since
/// the last one, in its newest full view.
/// </summary>
public sealed record RequestsUpdatedEvent(long Seq, RequestDto[] Requests);
