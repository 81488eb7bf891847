using Outreach.Model;

namespace Outreach.Dispatch;

/// <summary>One recorded transition of a request: who, when, from what, to what, and why.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.TimelineEntry")]
public sealed record TimelineEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Actor,
    [property: Id(2)] RequestStatus From,
    [property: Id(3)] RequestStatus To,
    [property: Id(4)] string? Note);
