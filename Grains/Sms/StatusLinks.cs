using System.Security.Cryptography;
using Npgsql;
using Outreach.Database;

namespace Outreach.Grains.Sms;

/// <summary>
/// Creates the family's status links (<c>/s/{token}</c>): 144 random bits as 24 base64url characters, kept only as
/// their SHA-256 with the request id (<c>outreach_status_links</c>, migration 0013, through its owner
/// <see cref="StatusLinkTable"/>), so a copy of the database opens no status page. Each message gets a link of its
/// own; all of a request's links expire together (read side: <c>Web/Status</c>). A link is stored before the message that carries it is sent.
/// </summary>
public sealed class StatusLinks(NpgsqlDataSource database, TimeProvider clock)
{
    /// <summary>Random bytes per token (144 bits; 24 base64url characters, no padding).</summary>
    public const int TokenBytes = 18;

    private readonly StatusLinkTable _table = new(database);

    /// <summary>Stores a new link to <paramref name="requestId"/> and returns its token.</summary>
    public async Task<string> CreateAsync(Guid requestId, CancellationToken cancellationToken)
    {
        var token = NewToken();
        await _table.AddAsync(token, requestId, clock.GetUtcNow(), cancellationToken);
        return token;
    }

    /// <summary>A fresh token: <see cref="TokenBytes"/> random bytes, base64url without padding.</summary>
    public static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(TokenBytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
