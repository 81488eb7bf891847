using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Outreach.Bench;
using Outreach.Contracts;
using Outreach.Model;

namespace Outreach.Chaos;

/// <summary>A request the API acknowledged with 201: the client now believes it exists.</summary>
public sealed record Acked(Guid Id, string Scenario, string Key, HelpCategory Category, DateTimeOffset AckedAt, int Attempts);

/// <summary>
/// The hotline operator as a real client: each request has an Idempotency-Key; an answer that a retry can cure
/// (no answer, a timeout, a 5xx) is retried with the same key, on the other web node, after Retry-After (at most
/// 2 s) — up to 10 attempts within 60 s. Any 4xx is final.
/// </summary>
public sealed class IntakeLoad(Api api, City city)
{
    private const int MaxAttempts = 10;
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);

    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private int _sent;

    public ConcurrentBag<Acked> Acknowledged { get; } = [];

    /// <summary>Requests given up on: (key, last answer).</summary>
    public ConcurrentBag<(string Key, string Last)> GaveUp { get; } = [];

    /// <summary>Nobody claims this category: its requests stay unclaimed and must escalate.</summary>
    public const HelpCategory Unclaimed = HelpCategory.Tutoring;

    private static readonly HelpCategory[] Claimable = [.. City.LoadCategories.Where(c => c != Unclaimed)];

    /// <summary>Open-loop load: request i leaves at start + i/rate whatever became of the earlier ones; waits for every answer.</summary>
    public async Task RunAsync(string scenario, int rate, TimeSpan duration, CancellationToken stop)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var inFlight = new List<Task>(total);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < total && !stop.IsCancellationRequested; i++)
        {
            var due = start + (long)(i * (double)Stopwatch.Frequency / rate);
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > 0)
                await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), CancellationToken.None);
            inFlight.Add(SubmitAsync(scenario));
        }
        await Task.WhenAll(inFlight);
    }

    /// <summary>One request through to 201 or giving up; the acknowledged id, or null.</summary>
    public async Task<Guid?> SubmitAsync(string scenario)
    {
        var n = Interlocked.Increment(ref _sent);
        var key = $"chaos-{_run}-{n}";
        var category = city.Next(0, 8) == 0 ? Unclaimed : Claimable[city.Next(0, Claimable.Length)];
        var place = city.Near(City.RaceSpot, 3000);
        var body = new NewRequestBody(
            CallerPhone: "13803930001",
            Category: category,
            Urgency: (Urgency)city.Next(0, 3),
            Position: PositionDto.From(place),
            Address: $"华龙区 中原路 {n}号",
            Description: "故障演练请求");
        var watch = Stopwatch.StartNew();
        Answer? last = null;
        for (var attempt = 1; attempt <= MaxAttempts && watch.Elapsed < GiveUpAfter; attempt++)
        {
            last = await api.PostRequestAsync("intake", n + attempt, body, key);
            if (last.Is(HttpStatusCode.Created))
            {
                var id = last.Json().GetProperty("id").GetGuid();
                Acknowledged.Add(new Acked(id, scenario, key, category, DateTimeOffset.UtcNow, attempt));
                return id;
            }
            if (!last.Retryable)
                break;
            var pause = last.RetryAfter ?? TimeSpan.FromMilliseconds(250 * attempt);
            await Task.Delay(pause > TimeSpan.FromSeconds(2) ? TimeSpan.FromSeconds(2) : pause < TimeSpan.Zero ? TimeSpan.Zero : pause);
        }
        GaveUp.Add((key, last is null ? "not sent" : $"{last.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no answer"} {last.Error ?? Trim(last.Body)}"));
        return null;
    }

    private static string Trim(string text) => text.Length > 160 ? text[..160] : text;
}
