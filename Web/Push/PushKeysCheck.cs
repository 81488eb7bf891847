using System.Buffers.Text;
using System.Security.Cryptography;

namespace Outreach.Web.Push;

/// <summary>The checks on a browser's push keys: what the server will encrypt to must be a real P-256 key and secret.</summary>
public static class PushKeysCheck
{
    /// <summary>The key in canonical base64url (no padding), or why it is refused: a 65-byte uncompressed P-256 point.</summary>
    public static (string? Key, string? Refusal) P256dh(string? text)
    {
        if (Decode(text) is not { } bytes)
            return (null, "The key must be base64url.");
        if (bytes.Length != 65 || bytes[0] != 0x04)
            return (null, "The key must be an uncompressed P-256 point (65 bytes).");
        try
        {
            // Importing checks the point is on the curve.
            using var key = ECDiffieHellman.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = bytes[1..33], Y = bytes[33..] },
            });
        }
        catch (CryptographicException)
        {
            return (null, "The key is not a point of the P-256 curve.");
        }
        return (Base64Url.EncodeToString(bytes), null);
    }

    /// <summary>The secret in canonical base64url, or why it is refused: 16 bytes.</summary>
    public static (string? Secret, string? Refusal) Auth(string? text)
    {
        if (Decode(text) is not { } bytes)
            return (null, "The secret must be base64url.");
        if (bytes.Length != 16)
            return (null, "The secret must be 16 bytes.");
        return (Base64Url.EncodeToString(bytes), null);
    }

    private static byte[]? Decode(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 200)
            return null;
        try
        {
            return Base64Url.DecodeFromChars(text.TrimEnd('='));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
