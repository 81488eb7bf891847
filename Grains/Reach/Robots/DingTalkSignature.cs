using System.Security.Cryptography;
using System.Text;

namespace Outreach.Grains.Reach.Robots;

/// <summary>
/// DingTalk's signed webhook (加签): <c>sign</c> = Base64(HMAC-SHA256(key: secret, data: timestamp + "\n" + secret)),
/// with the timestamp in milliseconds since the epoch; both go in the query, the sign percent-encoded. DingTalk
/// refuses a timestamp more than an hour from its clock.
/// </summary>
public static class DingTalkSignature
{
    /// <summary>The Base64 signature (not yet URL-encoded).</summary>
    public static string Sign(string secret, long timestampMs)
    {
        var key = Encoding.UTF8.GetBytes(secret);
        var data = Encoding.UTF8.GetBytes($"{timestampMs}\n{secret}");
        return Convert.ToBase64String(HMACSHA256.HashData(key, data));
    }

    /// <summary>The query to append to the webhook (which already has <c>?access_token=…</c>).</summary>
    public static string Query(string secret, DateTimeOffset now)
    {
        var timestamp = now.ToUnixTimeMilliseconds();
        return $"&timestamp={timestamp}&sign={Uri.EscapeDataString(Sign(secret, timestamp))}";
    }
}
