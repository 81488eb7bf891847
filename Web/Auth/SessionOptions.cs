using System.ComponentModel.DataAnnotations;

namespace Outreach.Web.Auth;

/// <summary>How long sessions last and how long a web node trusts what it knows of an account (<c>Outreach:Sessions</c>).</summary>
public sealed class SessionOptions
{
    public const string Section = "Outreach:Sessions";

    /// <summary>A session not used for this long ends (the cookie's sliding expiry; renewed by requests).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>A session ends this long after its login, used or not; the user logs in again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// How long a web node keeps an account's stamp and disabled flag between grain reads. Revocations reach the node
    /// at once (pushed by the account grain) and replace what it keeps; a node the push did not reach is told so by
    /// the live registry at its next renewal and forgets every copy. This only bounds how long a node can trust a copy
    /// when neither reached it (the registry could not be told either).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan StatusCacheFor { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a node waits for an account grain it has no trusted copy of before the request answers 503 (its silo
    /// just died and the cluster has not noticed yet). Long enough for a node busy with a burst of logins (each a
    /// PBKDF2 hash) to take the answer — at 2 s such bursts turned into false 503s — and well under Orleans' 30 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:00:30")]
    public TimeSpan AccountCheckTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
