using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace Outreach.Database;

/// <summary>
/// The one owner of <c>outreach_status_links</c> (migration 0013): a family's status links kept only as the SHA-256 of
/// their token (<see cref="HashOf"/>) with the request id, so a copy of the database opens no status page. The silo's
/// <c>StatusLinks</c> adds a link before the message that carries it is sent (<see cref="AddAsync"/>); the web's
/// <c>StatusLinkReader</c> finds the request of a token (<see cref="RequestOfAsync"/>). No other code has SQL against
/// this table.
/// </summary>
public sealed class StatusLinkTable(NpgsqlDataSource database)
{
    /// <summary>What the table keeps of a token: SHA-256 of its UTF-8 text.</summary>
    public static byte[] HashOf(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Stores the link <paramref name="token"/> (its hash) to <paramref name="requestId"/>, made at <paramref name="createdAt"/>.</summary>
    public async Task AddAsync(string token, Guid requestId, DateTimeOffset createdAt, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(
            "INSERT INTO outreach_status_links (token_hash, request_id, created_at) VALUES ($1, $2, $3)");
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = HashOf(token) });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = requestId });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = createdAt.UtcDateTime });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The request of the link <paramref name="token"/>, or null when there is none.</summary>
    public async Task<Guid?> RequestOfAsync(string token, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("SELECT request_id FROM outreach_status_links WHERE token_hash = $1");
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = HashOf(token) });
        return await command.ExecuteScalarAsync(cancellationToken) is Guid id ? id : null;
    }
}
