namespace Outreach.Stations;

/// <summary>
/// Station robots (configuration section <c>Robots</c>, read by the web nodes to check what coordinators save and
/// by the silos before each post): which hosts a robot's webhook may be on, and how a post is retried.
/// </summary>
public sealed class RobotOptions
{
    public const string Section = "Robots";

    /// <summary>The providers' webhook hosts.</summary>
    public const string DefaultAllowedHosts = "qyapi.weixin.qq.com,oapi.dingtalk.com";

    /// <summary>
    /// The hosts a webhook may be on, comma-separated, each <c>host</c> (its scheme's default port only) or
    /// <c>host:port</c>; compared exactly (no subdomains). Setting it replaces the default, so name the providers too.
    /// </summary>
    public string AllowedHosts { get; set; } = DefaultAllowedHosts;

    /// <summary>Also allow <c>http://</c> webhooks on a loopback host that is listed (development and tests); off by default.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>Attempts per post, the first included (a failure a retry can cure: 5xx, 429, timeout, the provider's busy answers).</summary>
    public int Attempts { get; set; } = 4;

    /// <summary>How long one attempt may take.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>The wait before the first retry; it doubles for each further one (with jitter).</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(2);
}
