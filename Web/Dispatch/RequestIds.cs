using System.Security.Cryptography;
using System.Text;

namespace Outreach.Web.Dispatch;

/// <summary>
/// Request ids. With an <c>Idempotency-Key</c> the id is derived from the caller's account and the key, so
/// every retry — however concurrent — names the same request grain, which records the request only once.
/// </summary>
public static class RequestIds
{
    /// <summary>The longest idempotency key accepted.</summary>
    public const int MaxKeyLength = 128;

    public static Guid For(Guid accountId, string? idempotencyKey)
    {
        if (string.IsNullOrEmpty(idempotencyKey))
            return Guid.NewGuid();
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"outreach/request/{accountId:N}/{idempotencyKey}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // a name-based GUID (version 5 layout)
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16));
    }

    /// <summary>Whether the key is acceptable: 1–128 visible ASCII characters.</summary>
    public static bool IsValidKey(string key) =>
        key.Length is > 0 and <= MaxKeyLength && key.All(c => c is > ' ' and <= '~');
}
