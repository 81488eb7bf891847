namespace Outreach.Reach;

/// <summary>
/// One attempt to reach someone about a request: which event, by which channel, to whom (a volunteer, or none for
/// the family and a station's group) and what came back. <see cref="Detail"/> names the answer (<c>HTTP 410</c>,
/// <c>timeout</c>, <c>wecom</c>), never a phone, an address or a URL.
/// </summary>
[GenerateSerializer, Immutable, Alias("Outreach.DeliveryRecord")]
public sealed record DeliveryRecord(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] Guid RequestId,
    [property: Id(2)] Guid? VolunteerId,
    [property: Id(3)] string Event,
    [property: Id(4)] ReachChannel Channel,
    [property: Id(5)] string Outcome,
    [property: Id(6)] string? Detail);
