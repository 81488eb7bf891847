using System.Net.Http.Headers;
using Lib.Net.Http.WebPush.Authentication;
using Microsoft.Extensions.Options;

namespace Outreach.Grains.Reach;

/// <summary>
/// RFC 8292 §2: the VAPID token's <c>aud</c> is the origin of the push resource, port included. Lib.Net.Http.WebPush
/// leaves a non-default port out (scheme and host only), which is the origin for every endpoint production accepts
/// (https on the default port, <see cref="Outreach.Reach.PushEndpointRule"/>) but not for a push service on another port
/// (development and tests, <c>Push:AllowHttpEndpoints</c>): for those this handler signs the token again with the origin.
/// </summary>
public sealed class VapidAudienceHandler(VapidKeys keys, IOptions<PushOptions> options, IOptions<ReachOptions> reach) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { IsDefaultPort: false } uri && request.Headers.Authorization?.Scheme == "vapid")
        {
            var pair = await keys.GetAsync(cancellationToken);
            using var authentication = new VapidAuthentication(pair.PublicKey, pair.PrivateKey)
            {
                Subject = WebPushChannel.SubjectOf(options.Value, reach.Value),
                Expiration = (int)WebPushChannel.TokenLifetime.TotalSeconds,
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("vapid",
                authentication.GetVapidSchemeAuthenticationHeaderValueParameter(uri.GetLeftPart(UriPartial.Authority)));
        }
        return await base.SendAsync(request, cancellationToken);
    }
}
