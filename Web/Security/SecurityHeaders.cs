using Microsoft.Extensions.Options;
using Outreach.Web.Pages;

namespace Outreach.Web.Security;

/// <summary>
/// Browser protections on every response (NetEscapades.AspNetCore.SecurityHeaders): a Content-Security-Policy
/// that admits only this site's scripts, styles, connections (fetch, SignalR websockets) and images plus the
/// configured map tile host; no framing, no plugins, no foreign &lt;base&gt;; no MIME sniffing; no referrer; and a
/// Permissions-Policy that turns powerful features off — geolocation is allowed (self) only on <c>/volunteer</c>.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The one page that may ask for the browser's position.</summary>
    public const string GeolocationPage = "/volunteer";

    public static WebApplicationBuilder AddOutreachSecurityHeaders(this WebApplicationBuilder builder)
    {
        builder.Services.AddSecurityHeaderPolicies((policies, services) =>
        {
            var tiles = TileSource.From(services.GetRequiredService<IOptions<MapOptions>>().Value.TileUrl);
            var everywhere = Policy(tiles, geolocation: false);
            var volunteer = Policy(tiles, geolocation: true);
            policies.SetDefaultPolicy(everywhere);
            policies.SetPolicySelector(ctx =>
                ctx.HttpContext.Request.Path.Equals(GeolocationPage, StringComparison.OrdinalIgnoreCase) ? volunteer : ctx.SelectedPolicy);
        });
        return builder;
    }

    /// <summary>First in the pipeline, so static files, errors and redirects carry the headers too.</summary>
    public static IApplicationBuilder UseOutreachSecurityHeaders(this IApplicationBuilder app) => app.UseSecurityHeaders();

    private static HeaderPolicyCollection Policy(string? tileSource, bool geolocation) => new HeaderPolicyCollection()
        .AddContentTypeOptionsNoSniff()
        .AddFrameOptionsDeny()
        .AddReferrerPolicyNoReferrer()
        .AddCrossOriginOpenerPolicy(p => p.SameOrigin())
        .RemoveServerHeader()
        .AddContentSecurityPolicy(csp =>
        {
            csp.AddDefaultSrc().Self();
            csp.AddScriptSrc().Self();
            csp.AddStyleSrc().Self();
            var images = csp.AddImgSrc().Self().Data();
            if (tileSource is not null)
                images.From(tileSource);
            // 'self' covers ws:/wss: to this host (CSP 3), which the SignalR websocket uses.
            csp.AddConnectSrc().Self();
            csp.AddFontSrc().Self();
            csp.AddWorkerSrc().Self();
            csp.AddManifestSrc().Self();
            csp.AddObjectSrc().None();
            csp.AddFrameSrc().None();
            csp.AddFrameAncestors().None();
            csp.AddBaseUri().Self();
            csp.AddFormAction().Self();
        })
        .AddPermissionsPolicy(p =>
        {
            if (geolocation)
                p.AddGeolocation().Self();
            else
                p.AddGeolocation().None();
            p.AddCamera().None();
            p.AddMicrophone().None();
            p.AddPayment().None();
            p.AddUsb().None();
            p.AddAccelerometer().None();
            p.AddGyroscope().None();
            p.AddMagnetometer().None();
            p.AddDisplayCapture().None();
            p.AddMidi().None();
        });
}
