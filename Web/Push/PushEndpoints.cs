using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Outreach.Dispatch;
using Outreach.Reach;
using Outreach.Web.Auth;
using Outreach.Web.Infrastructure;

namespace Outreach.Web.Push;

/// <summary>
/// Web Push for the volunteer page: the VAPID public key to subscribe with, the volunteer's push subscriptions (kept
/// by their devices grain in the silo), and "this device showed the offer" (the page live, or the service worker).
/// </summary>
public static class PushEndpoints
{
    /// <summary>The words of <c>?channel=</c> on the seen route, exactly.</summary>
    private static readonly Dictionary<string, ReachChannel> SeenChannels = new(StringComparer.Ordinal)
    {
        ["push"] = ReachChannel.Push,
        ["socket"] = ReachChannel.Socket,
    };

    public static WebApplicationBuilder AddOutreachPush(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebPushOptions>().BindConfiguration(WebPushOptions.Section);
        builder.Services.AddSingleton<OfferAcknowledgements>();
        return builder;
    }

    public static IEndpointRouteBuilder MapPushEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/push/vapid-public-key", GetPublicKey).WithTags("Push").RequireAuthorization(Policies.Volunteer);
        var me = app.MapGroup("/api/volunteers/me").WithTags("Push").RequireAuthorization(Policies.Volunteer);
        me.MapPost("/push-subscriptions", Subscribe);
        me.MapDelete("/push-subscriptions", Unsubscribe);
        me.MapPost("/offers/{requestId:guid}/seen", Seen);
        return app;
    }

    private static async Task<Ok<VapidPublicKeyResponse>> GetPublicKey(IGrainFactory grains) =>
        TypedResults.Ok(new VapidPublicKeyResponse(await grains.GetGrain<IPushKeyGrain>(0).GetPublicKeyAsync()));

    /// <summary>Keeps this browser's subscription: 201 when new for the volunteer, 200 when it was theirs already.</summary>
    private static async Task<Results<Created<PushSubscriptionResponse>, Ok<PushSubscriptionResponse>, ValidationProblem>> Subscribe(
        PushSubscriptionBody body, ClaimsPrincipal user, IGrainFactory grains, IOptions<WebPushOptions> options)
    {
        if (PushEndpointRule.Refusal(body.Endpoint, options.Value.AllowHttpEndpoints) is { } refusal)
            return Problems.Field("endpoint", refusal);
        if (body.Keys is null)
            return Problems.Field("keys", "The subscription's keys (p256dh, auth) are required.");
        var (p256dh, keyRefusal) = PushKeysCheck.P256dh(body.Keys.P256dh);
        if (keyRefusal is not null)
            return Problems.Field("keys.p256dh", keyRefusal);
        var (auth, authRefusal) = PushKeysCheck.Auth(body.Keys.Auth);
        if (authRefusal is not null)
            return Problems.Field("keys.auth", authRefusal);
        var endpoint = PushEndpointRule.Canonical(body.Endpoint!);
        var created = await Devices(user, grains).SaveAsync(new PushDevice(endpoint, p256dh!, auth!, SessionOf(user)));
        var answer = new PushSubscriptionResponse(endpoint);
        return created ? TypedResults.Created((string?)null, answer) : TypedResults.Ok(answer);
    }

    /// <summary>Forgets this browser's subscription (also when it was not kept: the answer is the same).</summary>
    private static async Task<Results<NoContent, ValidationProblem>> Unsubscribe([FromBody] PushEndpointBody body, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (string.IsNullOrWhiteSpace(body.Endpoint) || body.Endpoint.Length > PushEndpointRule.MaxLength)
            return Problems.Field("endpoint", "The endpoint is required (at most 2048 characters).");
        await ForgetAsync(Devices(user, grains), body.Endpoint);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// A device of this volunteer showed the offer (<c>?channel=push</c>, the default: the service worker got the push;
    /// <c>socket</c>: the page got it live). Recorded only while the offer is open to them; 204 either way.
    /// </summary>
    private static async Task<Results<NoContent, ValidationProblem>> Seen(Guid requestId, string? channel, ClaimsPrincipal user,
        OfferAcknowledgements acknowledgements)
    {
        if (SeenChannel(channel) is not { } reached)
            return Problems.Field("channel", SeenChannelRule);
        await acknowledgements.AcknowledgeAsync(requestId, VolunteerOf(user), reached);
        return TypedResults.NoContent();
    }

    /// <summary>What a wrong <c>channel</c> of an acknowledgement is told.</summary>
    public const string SeenChannelRule = "The channel must be one of: push, socket.";

    /// <summary>The channel an acknowledgement names (<c>push</c> when it names none), or null for any other word.</summary>
    public static ReachChannel? SeenChannel(string? word) =>
        SeenChannels.TryGetValue(word ?? "push", out var channel) ? channel : null;

    /// <summary>Server side of logout: the devices this session subscribed stop getting offers at once.</summary>
    public static async Task ForgetSessionDevicesAsync(ClaimsPrincipal user, IGrainFactory grains, string? thisBrowser = null)
    {
        if (user.VolunteerIdOf() is not { } volunteer)
            return;
        // A failure is the logout's 503: its retry removes them (a phone handed on must not go on getting offers).
        var devices = grains.GetGrain<IVolunteerDevicesGrain>(volunteer);
        if (thisBrowser is not null)
            await ForgetAsync(devices, thisBrowser);
        if (SessionOf(user) is { } session)
            await devices.RemoveSessionAsync(session);
    }

    /// <summary>Forgets the device with this endpoint as kept (canonical), and as sent, as one kept before endpoints were kept canonical.</summary>
    private static async Task ForgetAsync(IVolunteerDevicesGrain devices, string endpoint)
    {
        var canonical = PushEndpointRule.Canonical(endpoint);
        await devices.RemoveAsync(canonical);
        if (canonical != endpoint)
            await devices.RemoveAsync(endpoint);
    }

    private static IVolunteerDevicesGrain Devices(ClaimsPrincipal user, IGrainFactory grains) =>
        grains.GetGrain<IVolunteerDevicesGrain>(VolunteerOf(user));

    private static Guid VolunteerOf(ClaimsPrincipal user) =>
        user.VolunteerIdOf() ?? throw new InvalidOperationException("The policy admits volunteers only.");

    /// <summary>
    /// The login session: the account and the session's own id — or, for a cookie issued before sessions had ids, when
    /// it was issued (two logins in the same second shared that, and one's logout forgot the other's devices).
    /// </summary>
    private static string? SessionOf(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) is not { } account ? null
        : user.FindFirstValue(OutreachClaims.Session) is { Length: > 0 } session ? $"{account}:{session}"
        : user.FindFirstValue(OutreachClaims.IssuedAt) is { } issued ? $"{account}:{issued}"
        : null;
}
