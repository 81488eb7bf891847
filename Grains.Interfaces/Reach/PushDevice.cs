namespace Outreach.Reach;

/// <summary>
/// One browser of a volunteer that takes Web Push: the push service's endpoint and the browser's keys (base64url, as
/// <c>PushSubscription.toJSON()</c> gives them) and the login session that subscribed (it is removed when that
/// session logs out). The endpoint is a capability: it is never logged nor put in the delivery record.
/// </summary>
[GenerateSerializer, Immutable, Alias("Outreach.PushDevice")]
public sealed record PushDevice(
    [property: Id(0)] string Endpoint,
    [property: Id(1)] string P256dh,
    [property: Id(2)] string Auth,
    [property: Id(3)] string? Session);
