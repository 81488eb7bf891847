using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Outreach.Care;

/// <summary>
/// Names an occurrence's request: the same plan and date always give the same request id, so making an occurrence
/// twice (a reminder that fires again, a retry after a crash) finds the request already there, and the coordinator's
/// list of upcoming occurrences can look each one's request up without a column for it.
/// </summary>
public static class CareOccurrences
{
    /// <summary>The id of the request that carries <paramref name="planId"/>'s occurrence on <paramref name="date"/>.</summary>
    public static Guid RequestId(Guid planId, DateOnly date)
    {
        Span<byte> input = stackalloc byte[16 + 10];
        planId.TryWriteBytes(input, bigEndian: true, out _);
        Encoding.ASCII.GetBytes(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), input[16..]);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        var bytes = hash[..16];
        // RFC 9562 version 8 (custom), variant 10.
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
