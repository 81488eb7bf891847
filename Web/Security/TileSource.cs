namespace Outreach.Web.Security;

/// <summary>The Content-Security-Policy source that admits the map tiles of <c>Outreach:Map:TileUrl</c>.</summary>
public static class TileSource
{
    /// <summary>
    /// <c>https://{s}.tile.example.org/{z}/{x}/{y}.png</c> → <c>https://*.tile.example.org</c>; a fixed host keeps its
    /// port. Null for an empty URL, one that is not absolute http(s), or a placeholder anywhere but the leftmost label
    /// of the host (CSP allows a wildcard only there): then no tile host is admitted and the map shows without tiles.
    /// </summary>
    public static string? From(string? tileUrl)
    {
        if (string.IsNullOrWhiteSpace(tileUrl))
            return null;
        var schemeEnd = tileUrl.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
            return null;
        var scheme = tileUrl[..schemeEnd].ToLowerInvariant();
        if (scheme is not ("http" or "https"))
            return null;
        var rest = tileUrl[(schemeEnd + 3)..];
        var authority = rest[..(rest.IndexOfAny(['/', '?', '#']) is var end and >= 0 ? end : rest.Length)];
        var labels = authority.Split('.');
        if (labels.Length > 1 && labels[0].StartsWith('{') && labels[0].EndsWith('}') && labels[0].IndexOf('}') == labels[0].Length - 1)
            labels[0] = "*";
        var host = string.Join('.', labels);
        if (host.Length == 0 || host.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '*')) || host.LastIndexOf('*') > 0)
            return null;
        return $"{scheme}://{host.ToLowerInvariant()}";
    }
}
