using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Outreach.Sms;
using Outreach.Web.Auth;
using Outreach.Web.Infrastructure;

namespace Outreach.Web.Sms;

/// <summary>
/// <c>POST /api/sms/inbound/{provider}</c>: replies to the service's SMS, pushed by the provider. Aliyun's SmsUp
/// "HTTP 批量推送" posts a JSON array of <c>{phone_number, content, send_time, dest_code, sequence_id}</c> and expects
/// <c>{"code":0,"msg":"接收成功"}</c> with 200; any other status makes it push again (after 1, 5, 10 min). It signs
/// nothing, so the URL configured in its console carries our secret, <c>?token={Sms:InboundToken}</c>, compared in
/// constant time. No login, no cookie (exempt from the CSRF origin check because the provider sends no Origin);
/// rate-limited per client address. Each message goes to the silo's <see cref="ISmsInboxGrain"/>.
/// </summary>
public static class SmsInboundEndpoints
{
    public const string Aliyun = "aliyun";

    public static IServiceCollection AddSmsInbound(this IServiceCollection services)
    {
        services.AddOptions<SmsSettings>().BindConfiguration(SmsSettings.Section);
        return services;
    }

    public static IEndpointRouteBuilder MapSmsInboundEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/sms/inbound/{provider}", Receive)
            .AllowAnonymous()
            .RequireRateLimiting(RateLimits.SmsInbound)
            .WithTags("SMS");
        return app;
    }

    private static async Task<Results<Ok<AliyunAnswer>, ValidationProblem, NotFound<ProblemDetails>, ProblemHttpResult>> Receive(
        string provider, HttpRequest http, IOptions<SmsSettings> settings, IGrainFactory grains, ILoggerFactory logs)
    {
        var sms = settings.Value;
        // Only the configured provider's callbacks, and only once a secret is set: anything else does not exist.
        if (provider != Aliyun || sms.Provider != Aliyun || string.IsNullOrEmpty(sms.InboundToken))
            return Problems.NotFound($"No SMS callbacks are accepted for '{provider}'.");
        if (!TokenMatches(http.Query["token"].ToString(), sms.InboundToken))
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed.", detail: "The callback's token is wrong.");

        JsonElement body;
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Body);
            body = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return Problems.Field("body", "Must be a JSON array of messages.");
        }
        if (body.ValueKind != JsonValueKind.Array)
            return Problems.Field("body", "Must be a JSON array of messages.");
        var messages = new List<InboundSms>();
        var index = 0;
        foreach (var item in body.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
                return Problems.Field($"[{index}]", "Must be an object.");
            if (!item.TryGetProperty("phone_number", out var phone) || phone.ValueKind != JsonValueKind.String)
                return Problems.Field($"[{index}].phone_number", "Required, a string.");
            if (!item.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
                return Problems.Field($"[{index}].content", "Required, a string.");
            // The provider's id of the message, by which one delivered again is known (a number or a text; optional).
            string? providerId = null;
            if (item.TryGetProperty("sequence_id", out var sequence) && sequence.ValueKind != JsonValueKind.Null)
            {
                if (sequence.ValueKind is not (JsonValueKind.Number or JsonValueKind.String)
                    || sequence.GetRawText().Trim('"') is not { Length: > 0 and <= 64 } raw || !raw.All(char.IsAsciiLetterOrDigit))
                    return Problems.Field($"[{index}].sequence_id", "A number or a text of letters and digits (at most 64).");
                providerId = "aliyun:" + raw;
            }
            // A number that is not a phone number cannot be a volunteer's: nothing to do for it.
            if (Phones.Normalize(phone.GetString()) is { } normalized)
                messages.Add(new InboundSms(normalized, content.GetString()!, providerId));
            index++;
        }

        var log = logs.CreateLogger(typeof(SmsInboundEndpoints).FullName!);
        var inbox = grains.GetGrain<ISmsInboxGrain>(0);
        foreach (var message in messages)
        {
            var outcome = await inbox.ReceiveAsync(message);
            log.LogInformation("Inbound SMS: {Outcome}", outcome);
            if (outcome == InboundOutcome.Underway)
            {
                // An earlier delivery of this message is being handled: the provider delivers the batch again later.
                http.HttpContext.Response.Headers.RetryAfter = ((int)FaultExceptionHandler.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Try again later.",
                    detail: "A message of this batch is being handled by an earlier delivery.");
            }
        }
        return TypedResults.Ok(new AliyunAnswer(0, "接收成功"));
    }

    private static bool TokenMatches(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}

/// <summary>The answer Aliyun's push expects: <c>code</c> a number (0: taken), <c>msg</c> free text.</summary>
public sealed record AliyunAnswer(int Code, string Msg);
