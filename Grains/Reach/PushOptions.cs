namespace Outreach.Grains.Reach;

/// <summary>
/// Web Push in the silo (configuration section <c>Push</c>). Without a configured key pair the first silo to start
/// makes one and keeps it in the database (<c>outreach_push_keys</c>), so every silo signs with the same key.
/// </summary>
public sealed class PushOptions
{
    public const string Section = "Push";

    /// <summary>The VAPID public key, base64url (65-byte uncompressed P-256 point); with <see cref="VapidPrivateKey"/> or not at all.</summary>
    public string? VapidPublicKey { get; set; }

    /// <summary>The VAPID private key, base64url (32 bytes). A secret: never logged.</summary>
    public string? VapidPrivateKey { get; set; }

    /// <summary>What <see cref="Subject"/> falls back to when neither it nor an https <c>Reach:PublicUrl</c> is set.</summary>
    public const string PlaceholderSubject = "mailto:webpush@outreach.invalid";

    /// <summary>
    /// The contact push services see in the VAPID token: a <c>mailto:</c> or <c>https:</c> URI. Default: <c>Reach:PublicUrl</c>
    /// when it is https, else <see cref="PlaceholderSubject"/> (development).
    /// </summary>
    public string? Subject { get; set; }

    /// <summary>Also post to <c>http://</c> loopback endpoints (development and tests only; off by default).</summary>
    public bool AllowHttpEndpoints { get; set; }

    /// <summary>How long one push service may take to answer.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a push service keeps a withdrawal for a device that is offline (offers keep theirs for the claim deadline).</summary>
    public TimeSpan WithdrawalTimeToLive { get; set; } = TimeSpan.FromHours(1);
}
