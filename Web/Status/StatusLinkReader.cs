using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Outreach.Web.Status;

/// <summary>
/// Finds the request of a status link (<c>outreach_status_links</c>, written by the silo's <c>StatusLinks</c>):
/// by the SHA-256 of the token, so the table alone opens nothing. A token that is not 24 base64url characters is not
/// looked up at all.
/// </summary>
public sealed class StatusLinkReader(NpgsqlDataSource database)
{
    /// <summary>The length of every token (18 random bytes, base64url without padding).</summary>
    public const int TokenLength = 24;

    /// <summary>The request the token opens, or null when there is none.</summary>
    public async Task<Guid?> RequestOfAsync(string token, CancellationToken cancellationToken)
    {
        if (!IsWellFormed(token))
            return null;
        await using var command = database.CreateCommand("SELECT request_id FROM outreach_status_links WHERE token_hash = $1");
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = SHA256.HashData(Encoding.UTF8.GetBytes(token)) });
        return await command.ExecuteScalarAsync(cancellationToken) is Guid id ? id : null;
    }

    public static bool IsWellFormed(string? token) =>
        token is { Length: TokenLength } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
