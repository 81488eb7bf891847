using System.Net;
using System.Text.Json;

namespace Outreach.Grains.Reach.Robots;

/// <summary>
/// What a robot's webhook answered. Both providers answer HTTP 200 with <c>{"errcode": 0, "errmsg": "ok"}</c> when
/// the message is posted and another errcode when not. Worth another attempt: HTTP 5xx, 408, 429 and the
/// providers' busy answers (WeCom −1 system busy, 45009 over the frequency limit; DingTalk 130101 sending too fast).
/// A wrong key, token, signature or keyword (WeCom 93000, DingTalk 300001, 310000) fails at once.
/// </summary>
public sealed record RobotAnswer(bool Accepted, bool Retryable, string Detail)
{
    private static readonly HashSet<long> BusyCodes = [-1, 45009, 130101];

    /// <summary>Reads an answer: its status and body.</summary>
    public static RobotAnswer Read(HttpStatusCode status, string body)
    {
        var code = (int)status;
        if (status != HttpStatusCode.OK)
            return new RobotAnswer(false, code >= 500 || code is 408 or 429, $"HTTP {code}");
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("errcode", out var errcode) && errcode.TryGetInt64(out var value))
            {
                return value == 0 ? new RobotAnswer(true, false, "ok") : new RobotAnswer(false, BusyCodes.Contains(value), $"errcode {value}");
            }
        }
        catch (JsonException)
        {
            // Not the provider's JSON: said below.
        }
        return new RobotAnswer(false, false, "unreadable answer");
    }
}
