namespace Outreach.Reach;

/// <summary>
/// Which push endpoints the server will post to (a volunteer's browser names it, so it is untrusted input: the server
/// must not become a way to reach arbitrary hosts). An endpoint is an absolute <c>https://</c> URL on a host name
/// (not an IP address, not a single label such as <c>localhost</c>) on the default port, without user info. With
/// <c>allowHttpLoopback</c> (development and tests only) an <c>http://</c> or <c>https://</c> URL on a loopback address
/// is allowed too, on any port.
/// </summary>
public static class PushEndpointRule
{
    /// <summary>Longest endpoint kept (push services' URLs are a few hundred characters).</summary>
    public const int MaxLength = 2048;

    /// <summary>
    /// The form an endpoint is kept and looked up in: the scheme and host in lower case, a default port dropped, dot
    /// segments resolved — the address a post goes to — so one device is never kept twice under two spellings.
    /// </summary>
    public static string Canonical(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri.AbsoluteUri : endpoint;

    /// <summary>
    /// The suffixes of names that resolve inside a network, never to a public push service (RFC 6761 and 6762 names,
    /// cloud metadata and cluster names, common intranet suffixes).
    /// </summary>
    private static readonly string[] LocalSuffixes =
        ["localhost", "local", "internal", "intranet", "lan", "home", "corp", "arpa", "svc", "test", "invalid", "example", "onion"];

    /// <summary>
    /// A host that is local by its name: one ending in a dot (the absolute spelling, which the suffix check would miss
    /// and which a resolver takes as the same name) or whose last label is one of <see cref="LocalSuffixes"/>.
    /// </summary>
    private static bool IsLocalName(string host) =>
        host.EndsWith('.') || LocalSuffixes.Contains(host[(host.LastIndexOf('.') + 1)..], StringComparer.OrdinalIgnoreCase);

    /// <summary>Why <paramref name="endpoint"/> is refused, or null when it is allowed.</summary>
    public static string? Refusal(string? endpoint, bool allowHttpLoopback)
    {
        if (string.IsNullOrWhiteSpace(endpoint))
            return "The endpoint is required.";
        if (endpoint.Length > MaxLength)
            return $"The endpoint must be at most {MaxLength} characters.";
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            return "The endpoint must be an absolute https:// URL.";
        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
            return "The endpoint must not carry user information or a fragment.";
        if (allowHttpLoopback && uri.IsLoopback)
            return null;
        if (uri.Scheme != "https")
            return "The endpoint must be an https:// URL.";
        if (uri.HostNameType is not UriHostNameType.Dns || !uri.Host.Contains('.', StringComparison.Ordinal) || IsLocalName(uri.Host))
            return "The endpoint must name a push service's host, not an address or a local name.";
        if (!uri.IsDefaultPort)
            return "The endpoint must use the default https port.";
        return null;
    }
}
