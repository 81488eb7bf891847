using System.Collections.Concurrent;
using System.Net;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Outreach.Dispatch;
using Outreach.Grains.Dispatch;
using Outreach.Model;
using Outreach.Reach;

namespace Outreach.Grains.Reach;

/// <summary>
/// Web Push to a volunteer's browsers (RFC 8030 delivery, RFC 8291 aes128gcm encryption and RFC 8292 VAPID, by
/// Lib.Net.Http.WebPush). One message per device, sent side by side; each answer becomes one result: 201 accepted,
/// 404/410 gone (the device is forgotten), anything else failed. An offer lives at the push service for its claim
/// deadline (TTL) with urgency <c>high</c> for emergencies; its topic is the request, so a withdrawal replaces an offer
/// that a device offline has not fetched yet. The endpoint (a capability URL) is never logged nor recorded.
/// </summary>
public sealed class WebPushChannel(
    PushSubscriptionStore devices,
    VapidKeys keys,
    IHttpClientFactory http,
    IOptions<PushOptions> options,
    IOptions<ReachOptions> reach,
    IOptions<DispatchOptions> dispatch,
    TimeProvider clock,
    ILogger<WebPushChannel> log)
    : IPushChannel
{
    /// <summary>The named <see cref="HttpClient"/> push services are called with (no redirects, <see cref="PushOptions.Timeout"/>).</summary>
    public const string HttpClientName = "webpush";

    /// <summary>How long a VAPID token is valid (RFC 8292 allows at most 24 h).</summary>
    internal static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(12);

    private readonly VapidTokens _tokens = new(clock);

    public Task<IReadOnlySet<Guid>> WithDevicesAsync(IReadOnlyCollection<Guid> volunteers, CancellationToken cancellationToken) =>
        devices.WithDevicesAsync(volunteers, cancellationToken);

    public Task<DeliveryResult[]> OfferAsync(Guid volunteerId, OfferView offer, CancellationToken cancellationToken) =>
        SendAsync(volunteerId, new PushMessage(PushPayload.Offer(offer))
        {
            Topic = offer.RequestId.ToString("N"),
            TimeToLive = Seconds(dispatch.Value.ClaimDeadline(offer.Urgency)),
            Urgency = offer.Urgency == Urgency.Emergency ? PushMessageUrgency.High : PushMessageUrgency.Normal,
        }, cancellationToken);

    public Task<DeliveryResult[]> WithdrawAsync(Guid volunteerId, Guid requestId, string reason, CancellationToken cancellationToken) =>
        SendAsync(volunteerId, new PushMessage(PushPayload.Withdrawn(requestId, reason))
        {
            Topic = requestId.ToString("N"),
            TimeToLive = Seconds(options.Value.WithdrawalTimeToLive),
            Urgency = PushMessageUrgency.Normal,
        }, cancellationToken);

    private async Task<DeliveryResult[]> SendAsync(Guid volunteerId, PushMessage message, CancellationToken cancellationToken)
    {
        var mine = await devices.ListAsync(volunteerId, cancellationToken);
        if (mine.Count == 0)
            return [];
        var pair = await keys.GetAsync(cancellationToken);
        var content = message.Content;
        return await Task.WhenAll(mine.Select(device => SendOneAsync(volunteerId, device, pair, new PushMessage(content)
        {
            Topic = message.Topic,
            TimeToLive = message.TimeToLive,
            Urgency = message.Urgency,
        }, cancellationToken)));
    }

    private async Task<DeliveryResult> SendOneAsync(
        Guid volunteerId, PushDevice device, VapidKeyPair pair, PushMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (PushEndpointRule.Refusal(device.Endpoint, settings.AllowHttpEndpoints) is not null)
            return new DeliveryResult(DeliveryOutcomes.Failed, "endpoint refused");
        using var authentication = new VapidAuthentication(pair.PublicKey, pair.PrivateKey)
        {
            Subject = SubjectOf(settings, reach.Value),
            Expiration = (int)TokenLifetime.TotalSeconds,
            TokenCache = _tokens,
        };
        var client = new PushServiceClient(http.CreateClient(HttpClientName))
        {
            DefaultAuthentication = authentication,
            DefaultAuthenticationScheme = VapidAuthenticationScheme.Vapid,
            AutoRetryAfter = false,
        };
        var subscription = new PushSubscription();
        subscription.SetKey(PushEncryptionKeyName.P256DH, device.P256dh);
        subscription.SetKey(PushEncryptionKeyName.Auth, device.Auth);
        subscription.Endpoint = device.Endpoint;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            await client.RequestPushMessageDeliveryAsync(subscription, message, timeout.Token);
            return new DeliveryResult(DeliveryOutcomes.Accepted, "HTTP 201");
        }
        catch (PushServiceClientException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            // The browser unsubscribed or the push service expired it: it will never take a message again.
            await devices.RemoveAsync(volunteerId, device.Endpoint, CancellationToken.None);
            log.LogInformation("Volunteer {VolunteerId}: a push device is gone (HTTP {Status}) and was removed", volunteerId, (int)e.StatusCode);
            return new DeliveryResult(DeliveryOutcomes.Gone, $"HTTP {(int)e.StatusCode}");
        }
        catch (PushServiceClientException e)
        {
            log.LogWarning("Volunteer {VolunteerId}: a push service answered HTTP {Status}", volunteerId, (int)e.StatusCode);
            return new DeliveryResult(DeliveryOutcomes.Failed, $"HTTP {(int)e.StatusCode}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            log.LogWarning("Volunteer {VolunteerId}: a push service did not answer within {Timeout}", volunteerId, settings.Timeout);
            return new DeliveryResult(DeliveryOutcomes.Failed, "timeout");
        }
        catch (HttpRequestException e)
        {
            // The message names the host at most; the endpoint's path (the capability) is not logged.
            log.LogWarning("Volunteer {VolunteerId}: a push service could not be reached ({Error})", volunteerId, e.HttpRequestError);
            return new DeliveryResult(DeliveryOutcomes.Failed, "unreachable");
        }
    }

    /// <summary>
    /// The VAPID <c>sub</c> (RFC 8292 §2.1: a <c>mailto:</c> or <c>https:</c> URI): <c>Push:Subject</c>, else the public
    /// address when it is https, else a placeholder a push service may refuse (set <c>Push:Subject</c> in production).
    /// </summary>
    internal static string SubjectOf(PushOptions settings, ReachOptions reach) =>
        !string.IsNullOrWhiteSpace(settings.Subject) ? settings.Subject.Trim()
        : reach.PublicUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? reach.PublicUrl
        : PushOptions.PlaceholderSubject;

    private static int Seconds(TimeSpan span) => (int)Math.Clamp(span.TotalSeconds, 0, int.MaxValue);

    /// <summary>VAPID tokens per push service origin, reused until shortly before they expire (signing is not free).</summary>
    private sealed class VapidTokens(TimeProvider clock) : IVapidTokenCache
    {
        private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> _tokens = new(StringComparer.Ordinal);

        public void Put(string audience, DateTimeOffset expiration, string token) => _tokens[audience] = (token, expiration);

        public string? Get(string audience) =>
            _tokens.TryGetValue(audience, out var known) && known.Expires - clock.GetUtcNow() > TimeSpan.FromMinutes(10) ? known.Token : null;
    }
}
