using System.Security.Cryptography;
using System.Text;

namespace Outreach.Files;

/// <summary>
/// Grain keys of the phone index (<see cref="IPhoneIndexGrain"/>): <c>phonekey:</c> and the HMAC-SHA256, in lower-case
/// hex, of the E.164 number under a secret from configuration (<c>Outreach:PhoneKey</c>). Grain keys travel into
/// span attributes, logs and the storage table; a keyed hash keeps the number out of all three, and without the
/// secret it cannot be reversed by hashing every mobile number.
/// </summary>
public sealed class PhoneIndexKeys
{
    /// <summary>The prefix of every key (not a hex digit, so the storage provider keeps it a string; ARCHITECTURE.md).</summary>
    public const string Prefix = "phonekey:";

    /// <summary>The prefix of the keys before 0010: the plain E.164 number, e.g. <c>phone:+8613803930001</c>.</summary>
    public const string LegacyPrefix = "phone:";

    /// <summary>The shortest secret accepted, in bytes.</summary>
    public const int MinimumSecretBytes = 16;

    private readonly byte[] _secret;

    public PhoneIndexKeys(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        _secret = Encoding.UTF8.GetBytes(secret);
        if (_secret.Length < MinimumSecretBytes)
            throw new ArgumentException($"The phone key must be at least {MinimumSecretBytes} bytes long.", nameof(secret));
    }

    /// <summary>The grain key of the index entry of <paramref name="normalizedPhone"/> (E.164).</summary>
    public string For(string normalizedPhone)
    {
        ArgumentNullException.ThrowIfNull(normalizedPhone);
        return Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(normalizedPhone)));
    }
}
