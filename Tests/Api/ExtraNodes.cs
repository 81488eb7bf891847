using System.Collections.Concurrent;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Api;

/// <summary>
/// Web nodes with settings of their own, started once per shared system and reused by the tests that need them
/// (a second node for cross-node revocation, a node with low limits, short sessions, ...). They stop with the system.
/// </summary>
public static class ExtraNodes
{
    private static readonly ConcurrentDictionary<(OutreachSystem, string), Lazy<Task<WebNode>>> Started = new();

    /// <summary>The node of <paramref name="system"/> started with <paramref name="settings"/> under <paramref name="name"/>.</summary>
    public static Task<WebNode> GetAsync(OutreachSystem system, string name, IReadOnlyDictionary<string, string> settings) =>
        Started.GetOrAdd((system, name), _ => new Lazy<Task<WebNode>>(() => system.StartExtraWebAsync(settings))).Value;

    /// <summary>A second ordinary web node of the system.</summary>
    public static Task<WebNode> SecondAsync(OutreachSystem system) => GetAsync(system, "second", new Dictionary<string, string>());

    /// <summary>An HTTP client for <paramref name="node"/> that sends <paramref name="user"/>'s cookies (cookies are per host, not per port).</summary>
    public static ApiClient As(this WebNode node, ApiClient user)
    {
        var client = new ApiClient(node.Url);
        foreach (System.Net.Cookie cookie in user.Cookies.GetAllCookies())
            client.Cookies.Add(cookie);
        return client;
    }
}
