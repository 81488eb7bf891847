using Npgsql;

namespace Outreach.Web.Status;

/// <summary>
/// Finds the request of a status link (<c>outreach_status_links</c>, written by the silo's <c>StatusLinks</c>, read
/// through its owner <see cref="StatusLinkTable"/>): by the SHA-256 of the token, so the table alone opens nothing. A
/// token that is not 24 base64url characters is not looked up at all.
/// </summary>
public sealed class StatusLinkReader(NpgsqlDataSource database)
{
    /// <summary>The length of every token (18 random bytes, base64url without padding).</summary>
    public const int TokenLength = 24;

    private readonly StatusLinkTable _table = new(database);

    /// <summary>The request the token opens, or null when there is none.</summary>
    public async Task<Guid?> RequestOfAsync(string token, CancellationToken cancellationToken)
    {
        if (!IsWellFormed(token))
            return null;
        return await _table.RequestOfAsync(token, cancellationToken);
    }

    public static bool IsWellFormed(string? token) =>
        token is { Length: TokenLength } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
