using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Outreach.Contracts;
using Outreach.Model;

namespace Outreach.Bench;

/// <summary>The answer to one <c>POST /api/requests</c>: when it was sent, how long it took, the request it made.</summary>
public readonly record struct Intake(long SentAt, double Ms, Guid? RequestId, int OfferedCount, string? Error);

/// <summary>An operator logged in over HTTP who posts help requests, as a telephony integration would.</summary>
public sealed class Hotline : IDisposable
{
    private readonly SocketsHttpHandler _handler;
    private readonly HttpClient _http;
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    private Hotline(Uri web)
    {
        _handler = new SocketsHttpHandler
        {
            CookieContainer = new CookieContainer(),
            UseCookies = true,
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = 512,
        };
        _http = new HttpClient(_handler) { BaseAddress = web, Timeout = TimeSpan.FromSeconds(30) };
    }

    public static async Task<Hotline> LoginAsync(Uri web, string login)
    {
        var hotline = new Hotline(web);
        using var response = await hotline._http.PostAsJsonAsync("/api/auth/login", new LoginRequest(login, Population.Password), ContractJson.Options);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"login as {login}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return hotline;
    }

    /// <summary>Posts a Routine request (no escalation during a run) with a fresh Idempotency-Key.</summary>
    public async Task<Intake> PostAsync(string key, GeoPoint place, HelpCategory category)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/requests")
        {
            Content = JsonContent.Create(new NewRequestBody(
                CallerPhone: "13803930001",
                Category: category,
                Urgency: Urgency.Routine,
                Position: PositionDto.From(place),
                Address: "华龙区 中原路 2号院 5号楼 301",
                Description: "基准测试请求"), options: ContractJson.Options),
        };
        request.Headers.Add("Idempotency-Key", $"bench-{_run}-{key}");
        var sentAt = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var ms = Percentiles.Ms(sentAt, Stopwatch.GetTimestamp());
            if (response.StatusCode != HttpStatusCode.Created)
                return new Intake(sentAt, ms, null, 0, $"{(int)response.StatusCode} {body[..Math.Min(body.Length, 200)]}");
            var intake = JsonSerializer.Deserialize<IntakeResponse>(body, ContractJson.Options)!;
            return new Intake(sentAt, ms, intake.Id, intake.OfferedCount, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new Intake(sentAt, Percentiles.Ms(sentAt, Stopwatch.GetTimestamp()), null, 0, e.GetType().Name + ": " + e.Message);
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _handler.Dispose();
    }
}
