using System.Security.Cryptography;
using System.Text;

namespace Outreach.Grains.Sms;

/// <summary>
/// Aliyun's RPC request signature, version 1.0 (HMAC-SHA1), as the SMS API reference documents it ("签名机制"):
/// sort the parameters (all but <c>Signature</c>) by name in ordinal order; percent-encode each name and value per
/// RFC 3986 over UTF-8 (only <c>A–Z a–z 0–9 - _ . ~</c> stay as they are, a space is <c>%20</c>, hex digits upper
/// case); join them as <c>name=value</c> with <c>&amp;</c>; the string to sign is
/// <c>METHOD &amp; percentEncode("/") &amp; percentEncode(that query)</c>; the signature is Base64 of HMAC-SHA1 over it
/// with the key <c>AccessKeySecret + "&amp;"</c>.
/// </summary>
public static class AliyunSignature
{
    /// <summary>The signature of <paramref name="parameters"/> (without <c>Signature</c>) for <paramref name="method"/>.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "The provider's signature version 1.0 is HMAC-SHA1; the algorithm is theirs, not a choice.")]
    public static string Sign(string method, IEnumerable<KeyValuePair<string, string>> parameters, string accessKeySecret)
    {
        var stringToSign = StringToSign(method, parameters);
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(accessKeySecret + "&"), Encoding.UTF8.GetBytes(stringToSign));
        return Convert.ToBase64String(mac);
    }

    /// <summary><c>METHOD&amp;%2F&amp;</c> and the encoded canonicalized query.</summary>
    public static string StringToSign(string method, IEnumerable<KeyValuePair<string, string>> parameters) =>
        method.ToUpperInvariant() + "&" + PercentEncode("/") + "&" + PercentEncode(CanonicalQuery(parameters));

    /// <summary>The parameters sorted by name (ordinal), each <c>name=value</c> percent-encoded, joined by <c>&amp;</c>.</summary>
    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join("&", parameters
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => PercentEncode(p.Key) + "=" + PercentEncode(p.Value)));

    /// <summary>RFC 3986 percent-encoding of the UTF-8 bytes: unreserved characters as they are, all else <c>%XY</c>.</summary>
    public static string PercentEncode(string value)
    {
        var encoded = new StringBuilder(value.Length * 3);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
                encoded.Append(c);
            else
                encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return encoded.ToString();
    }
}
