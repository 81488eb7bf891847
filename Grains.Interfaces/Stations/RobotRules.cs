using System.Text.RegularExpressions;

namespace Outreach.Stations;

/// <summary>
/// What a robot may be: the server posts to the webhook a coordinator typed, so the address is held to the
/// providers' published form on an allowed host (no other URL can be made a target: SSRF), and the secret to the
/// form DingTalk gives. Used by the web node before anything is stored and by the silo before each post.
/// </summary>
public static partial class RobotRules
{
    public const int MaxRobots = 10;
    private const int MaxUrlLength = 500;

    /// <summary>What is wrong with the webhook address for this kind of robot, or null when it may be used.</summary>
    public static string? UrlProblem(RobotKind kind, string? url, RobotOptions options)
    {
        if (string.IsNullOrWhiteSpace(url))
            return "Required.";
        if (url.Length > MaxUrlLength)
            return $"At most {MaxUrlLength} characters.";
        if (url.Contains('%', StringComparison.Ordinal))
            return "Must not be percent-encoded (copy the address from the robot).";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            return "Must be an absolute URL.";
        if (uri.UserInfo.Length > 0)
            return "Must not carry a user name or password.";
        if (uri.Fragment.Length > 0)
            return "Must not have a fragment (#…).";
        if (DotSegment().IsMatch(url.Split('?', 2)[0]))
            return "Must not have . or .. segments (copy the address from the robot).";
        var http = uri.Scheme == Uri.UriSchemeHttp && options.AllowHttp && uri.IsLoopback;
        if (uri.Scheme != Uri.UriSchemeHttps && !http)
            return "Must be https.";
        if (!IsAllowedHost(uri, options))
            return $"The host must be one of the robot providers' ({options.AllowedHosts}).";
        return kind switch
        {
            RobotKind.WeCom when uri.AbsolutePath != "/cgi-bin/webhook/send" || !WeComQuery().IsMatch(uri.Query) =>
                "A WeCom group robot's webhook is https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… (copy it from the robot).",
            RobotKind.DingTalk when uri.AbsolutePath != "/robot/send" || !DingTalkQuery().IsMatch(uri.Query) =>
                "A DingTalk robot's webhook is https://oapi.dingtalk.com/robot/send?access_token=… (copy it from the robot).",
            _ => null,
        };
    }

    /// <summary>What is wrong with the secret for this kind of robot, or null (null keeps the stored one, empty removes it).</summary>
    public static string? SecretProblem(RobotKind kind, string? secret) => (kind, secret) switch
    {
        (_, null or "") => null,
        (RobotKind.WeCom, _) => "A WeCom group robot is not signed: leave the secret empty.",
        (RobotKind.DingTalk, _) when !DingTalkSecret().IsMatch(secret) =>
            "A DingTalk signing secret starts with SEC followed by letters and digits (the robot's 加签 setting).",
        _ => null,
    };

    /// <summary>Whether the address is on a listed host: the host exactly, and the port listed (or the scheme's default).</summary>
    public static bool IsAllowedHost(Uri uri, RobotOptions options)
    {
        foreach (var entry in options.AllowedHosts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate("https://" + entry, UriKind.Absolute, out var allowed) || allowed.PathAndQuery != "/")
                continue;
            var portListed = !allowed.IsDefaultPort || entry.EndsWith(":443", StringComparison.Ordinal);
            if (string.Equals(allowed.Host, uri.Host, StringComparison.OrdinalIgnoreCase)
                && (portListed ? allowed.Port == uri.Port : uri.IsDefaultPort))
                return true;
        }
        return false;
    }

    [GeneratedRegex("^\\?key=[A-Za-z0-9-]{1,128}$")]
    private static partial Regex WeComQuery();

    [GeneratedRegex("^\\?access_token=[A-Za-z0-9]{1,128}$")]
    private static partial Regex DingTalkQuery();

    [GeneratedRegex("^SEC[A-Za-z0-9]{8,200}$")]
    private static partial Regex DingTalkSecret();

    /// <summary>A path segment <c>.</c> or <c>..</c> (also percent-encoded): the address would be stored unlike the one posted to.</summary>
    [GeneratedRegex(@"/(\.|%2e){1,2}(/|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DotSegment();
}
