namespace Outreach.Reach;

/// <summary>The application server's VAPID public key (RFC 8292) for browsers to subscribe with; key: 0.</summary>
[Alias("Outreach.IPushKeyGrain")]
public interface IPushKeyGrain : IGrainWithIntegerKey
{
    /// <summary>The public key, base64url (the uncompressed P-256 point), made on first use if none is configured.</summary>
    [Alias("GetPublicKey")]
    Task<string> GetPublicKeyAsync();
}
