using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Outreach.Tests.Push;

/// <summary>
/// A browser's side of Web Push, written from the RFCs with System.Security.Cryptography only (nothing of the library
/// the server encrypts with): its P-256 key pair and auth secret, and decryption of an <c>aes128gcm</c> message
/// (RFC 8188 record, RFC 8291 keys). Also the check of the server's VAPID header (RFC 8292) a push service makes.
/// </summary>
public sealed class TestPushDevice : IDisposable
{
    private readonly ECDiffieHellman _key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

    public TestPushDevice(string endpoint)
    {
        Endpoint = endpoint;
        var q = _key.ExportParameters(false).Q;
        PublicKey = [0x04, .. q.X!, .. q.Y!];
        AuthSecret = RandomNumberGenerator.GetBytes(16);
    }

    public string Endpoint { get; }

    /// <summary>The uncompressed point (65 bytes).</summary>
    public byte[] PublicKey { get; }

    public byte[] AuthSecret { get; }

    /// <summary>What <c>PushSubscription.toJSON()</c> gives.</summary>
    public object Subscription => new
    {
        endpoint = Endpoint,
        expirationTime = (long?)null,
        keys = new { p256dh = Base64Url.EncodeToString(PublicKey), auth = Base64Url.EncodeToString(AuthSecret) },
    };

    /// <summary>Decrypts an aes128gcm body (one record) as the browser would, and answers the plaintext.</summary>
    public string Decrypt(byte[] body)
    {
        // RFC 8188 §2.1 header: salt (16) | rs (uint32) | idlen (1) | keyid (idlen = the server's ephemeral public key).
        var salt = body[..16];
        var recordSize = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(16, 4));
        int idLength = body[20];
        Assert.Equal(65, idLength);
        var serverKey = body[21..(21 + idLength)];
        var ciphertext = body[(21 + idLength)..];
        Assert.True(ciphertext.Length <= recordSize, $"one record expected ({ciphertext.Length} > rs {recordSize})");

        // RFC 8291 §3.3–3.4.
        using var server = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = serverKey[1..33], Y = serverKey[33..] },
        });
        var ecdhSecret = _key.DeriveRawSecretAgreement(server.PublicKey);
        byte[] keyInfo = [.. "WebPush: info\0"u8, .. PublicKey, .. serverKey];
        var ikm = HKDF.DeriveKey(HashAlgorithmName.SHA256, ecdhSecret, 32, AuthSecret, keyInfo);
        var cek = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 16, salt, "Content-Encoding: aes128gcm\0"u8.ToArray());
        var nonce = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 12, salt, "Content-Encoding: nonce\0"u8.ToArray());

        var plain = new byte[ciphertext.Length - 16];
        using (var aes = new AesGcm(cek, 16))
            aes.Decrypt(nonce, ciphertext[..^16], ciphertext[^16..], plain);
        // RFC 8188 §2: the last record ends with the delimiter 0x02, then zero padding.
        var end = plain.Length - 1;
        while (end >= 0 && plain[end] == 0)
            end--;
        Assert.True(end >= 0 && plain[end] == 0x02, "the last record's padding delimiter (0x02)");
        return Encoding.UTF8.GetString(plain, 0, end);
    }

    /// <summary>
    /// Checks <c>Authorization: vapid t=&lt;JWT&gt;, k=&lt;key&gt;</c> as a push service does: ES256 signature by k, aud =
    /// the endpoint's origin, exp within 24 h, a sub; answers k.
    /// </summary>
    public static string VerifyVapid(string? authorization, string endpoint, DateTimeOffset now)
    {
        Assert.NotNull(authorization);
        Assert.StartsWith("vapid ", authorization, StringComparison.Ordinal);
        var parameters = authorization["vapid ".Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        var token = parameters["t"];
        var k = parameters["k"];
        var point = Base64Url.DecodeFromChars(k);
        Assert.Equal(65, point.Length);
        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
        Assert.Equal("ES256", header.RootElement.GetProperty("alg").GetString());
        using var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = point[1..33], Y = point[33..] },
        });
        var signature = Base64Url.DecodeFromChars(parts[2]);
        Assert.True(key.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), signature, HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation), "the VAPID JWT's ES256 signature verifies with k");
        using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        var uri = new Uri(endpoint);
        Assert.Equal($"{uri.Scheme}://{uri.Authority}", claims.RootElement.GetProperty("aud").GetString());
        var exp = DateTimeOffset.FromUnixTimeSeconds(claims.RootElement.GetProperty("exp").GetInt64());
        Assert.True(exp > now && exp <= now + TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1), $"exp {exp:O} within 24 h of {now:O}");
        Assert.False(string.IsNullOrWhiteSpace(claims.RootElement.GetProperty("sub").GetString()), "sub present");
        return k;
    }

    public void Dispose() => _key.Dispose();
}
