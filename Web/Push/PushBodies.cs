namespace Outreach.Web.Push;

/// <summary>Body of <c>POST /api/volunteers/me/push-subscriptions</c>: the browser's <c>PushSubscription.toJSON()</c>.</summary>
public sealed record PushSubscriptionBody(string? Endpoint, PushKeysBody? Keys);

/// <summary>The subscription's <c>keys</c>: the browser's P-256 public key and its authentication secret, base64url.</summary>
public sealed record PushKeysBody(string? P256dh, string? Auth);

/// <summary>Body of <c>DELETE /api/volunteers/me/push-subscriptions</c>.</summary>
public sealed record PushEndpointBody(string? Endpoint);

/// <summary>Answer of <c>GET /api/push/vapid-public-key</c>.</summary>
public sealed record VapidPublicKeyResponse(string PublicKey);

/// <summary>Answer of <c>POST /api/volunteers/me/push-subscriptions</c>.</summary>
public sealed record PushSubscriptionResponse(string Endpoint);

/// <summary>Web Push on the web node (configuration section <c>Push</c>; the silo reads the same section).</summary>
public sealed class WebPushOptions
{
    public const string Section = "Push";

    /// <summary>Also accept <c>http://</c> loopback endpoints (development and tests only; off by default).</summary>
    public bool AllowHttpEndpoints { get; set; }
}
