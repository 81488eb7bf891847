using System.Net;

namespace Outreach.Contracts;

/// <summary>How an <see cref="OutreachClient"/> connects; the defaults are a single user's (the tests', the simulator's).</summary>
public sealed record OutreachClientOptions
{
    /// <summary>How long one call may take (<see cref="System.Threading.Timeout.InfiniteTimeSpan"/>: the caller's token decides).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Connections to one web node at the most (a load generator raises it).</summary>
    public int MaxConnectionsPerServer { get; init; } = int.MaxValue;

    /// <summary>Whether a 3xx is followed; off, so a caller sees what the API answered.</summary>
    public bool AllowAutoRedirect { get; init; }

    /// <summary>
    /// A cookie jar shared with other clients (one login good on every web node: the nodes share their
    /// data-protection keys); null: a jar of the client's own.
    /// </summary>
    public CookieContainer? Cookies { get; init; }
}
