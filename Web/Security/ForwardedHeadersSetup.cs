using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Outreach.Web.Security;

/// <summary>The proxies whose <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c> are believed (<c>Outreach:ForwardedHeaders</c>).</summary>
public sealed class ForwardedHeadersSettings
{
    public const string Section = "Outreach:ForwardedHeaders";

    /// <summary>Addresses of the reverse proxies in front of the web nodes. Empty: the headers are ignored.</summary>
    public string[] KnownProxies { get; set; } = [];
}

/// <summary>
/// Behind a reverse proxy that terminates TLS, the web node sees the proxy's address and plain http. When
/// <see cref="ForwardedHeadersSettings.KnownProxies"/> lists the proxy, the client's address (for the per-address
/// login limit and the logs) and scheme (for the Secure cookie) are taken from the headers that proxy sets, and only
/// from requests that come from it. The middleware goes first in the pipeline (a startup filter), before
/// authentication and the rate limiter read either.
/// </summary>
public static class ForwardedHeadersSetup
{
    public static WebApplicationBuilder AddOutreachForwardedHeaders(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(ForwardedHeadersSettings.Section).Get<ForwardedHeadersSettings>() ?? new();
        if (settings.KnownProxies.Length == 0)
            return builder;
        var proxies = settings.KnownProxies.Select(p => IPAddress.TryParse(p.Trim(), out var address)
            ? address
            : throw new InvalidOperationException($"{ForwardedHeadersSettings.Section}:KnownProxies: '{p}' is not an IP address.")).ToArray();
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
                o.KnownProxies.Add(proxy);
        });
        builder.Services.AddTransient<IStartupFilter, ForwardedHeadersFirst>();
        return builder;
    }

    private sealed class ForwardedHeadersFirst : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseForwardedHeaders();
            next(app);
        };
    }
}
