using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Outreach.Grains.Sms;

/// <summary>
/// Creates the family's status links (<c>/s/{token}</c>): 144 random bits as 24 base64url characters, kept only as
/// their SHA-256 with the request id (<c>outreach_status_links</c>, migration 0013), so a copy of the database opens
/// no status page. Each message gets a link of its own; all of a request's links expire together (read side:
/// <c>Web/Status</c>). A link is stored before the message that carries it is sent.
/// </summary>
public sealed class StatusLinks(NpgsqlDataSource database, TimeProvider clock)
{
    /// <summary>Random bytes per token (144 bits; 24 base64url characters, no padding).</summary>
    public const int TokenBytes = 18;

    /// <summary>Stores a new link to <paramref name="requestId"/> and returns its token.</summary>
    public async Task<string> CreateAsync(Guid requestId, CancellationToken cancellationToken)
    {
        var token = NewToken();
        await using var command = database.CreateCommand(
            "INSERT INTO outreach_status_links (token_hash, request_id, created_at) VALUES ($1, $2, $3)");
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = HashOf(token) });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = requestId });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz, TypedValue = clock.GetUtcNow().UtcDateTime });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return token;
    }

    /// <summary>A fresh token: <see cref="TokenBytes"/> random bytes, base64url without padding.</summary>
    public static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(TokenBytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>What the table keeps of a token: SHA-256 of its UTF-8 text.</summary>
    public static byte[] HashOf(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
