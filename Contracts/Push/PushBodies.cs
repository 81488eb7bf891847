namespace Outreach.Contracts;

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
