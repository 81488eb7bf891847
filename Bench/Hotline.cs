using System.Diagnostics;
using System.Net;
using Outreach.Contracts;
using Outreach.Model;

namespace Outreach.Bench;

/// <summary>The answer to one <c>POST /api/requests</c>: when it was sent, how long it took, the request it made.</summary>
public readonly record struct Intake(long SentAt, double Ms, Guid? RequestId, int OfferedCount, string? Error);

/// <summary>An operator logged in over HTTP who posts help requests, as a telephony integration would.</summary>
public sealed class Hotline : IDisposable
{
    private readonly OutreachClient _client;
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    private Hotline(Uri web) => _client = new OutreachClient(web, new OutreachClientOptions { MaxConnectionsPerServer = 512 });

    public static async Task<Hotline> LoginAsync(Uri web, string login)
    {
        var hotline = new Hotline(web);
        await hotline._client.LoginOrThrowAsync(login, Population.Password);
        return hotline;
    }

    /// <summary>Posts a Routine request (no escalation during a run) with a fresh Idempotency-Key.</summary>
    public async Task<Intake> PostAsync(string key, GeoPoint place, HelpCategory category)
    {
        var body = new NewRequestBody(
            CallerPhone: "13803930001",
            Category: category,
            Urgency: Urgency.Routine,
            Position: PositionDto.From(place),
            Address: "华龙区 中原路 2号院 5号楼 301",
            Description: "基准测试请求");
        var sentAt = Stopwatch.GetTimestamp();
        try
        {
            var answer = await _client.PostRequestAsync(body, $"bench-{_run}-{key}");
            var ms = Percentiles.Ms(sentAt, Stopwatch.GetTimestamp());
            if (answer.Status != HttpStatusCode.Created)
                return new Intake(sentAt, ms, null, 0, $"{(int)answer.Status} {answer.Body[..Math.Min(answer.Body.Length, 200)]}");
            var intake = answer.Read<IntakeResponse>();
            return new Intake(sentAt, ms, intake.Id, intake.OfferedCount, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new Intake(sentAt, Percentiles.Ms(sentAt, Stopwatch.GetTimestamp()), null, 0, e.GetType().Name + ": " + e.Message);
        }
    }

    public void Dispose() => _client.Dispose();
}
