using System.Diagnostics;
using System.Net;
using Outreach.Contracts;

namespace Outreach.Bench;

/// <summary>What the position-report phase measured.</summary>
public sealed record PositionResult(int Sent, int Ok, IReadOnlyList<string> Errors, double Seconds, Percentiles Latency, double MaxSendLagMs,
    ResourceSnapshot Used)
{
    public double AchievedPerSecond => Ok / Seconds;

    /// <summary>CPU milliseconds per report of one process's CPU seconds.</summary>
    public double PerReportMs(double cpuSeconds) => 1000 * cpuSeconds / Math.Max(1, Ok);
}

/// <summary>
/// Position reports at city rate: the connected volunteers (logged in over HTTP, each with its SignalR connection)
/// post <c>/api/volunteers/me/position</c> on a fixed open-loop schedule — report i at start + i/rate, round robin over
/// the volunteers, each walking a few metres from where it stands (mostly inside its dispatch cell, as in a street).
/// </summary>
public sealed class PositionLoad(IReadOnlyList<LiveVolunteer> volunteers, City city, BenchOptions options)
{
    public async Task<PositionResult> RunAsync(int rate, int seconds)
    {
        var total = rate * seconds;
        var before = await ResourceSnapshot.TakeAsync(options);
        var run = await OpenLoop.RunAsync(total, rate, i =>
        {
            var volunteer = volunteers[i % volunteers.Count];
            return ReportAsync(volunteer, city.Near(volunteer.Volunteer.Position, 30));
        });
        var (answers, maxLag, elapsed) = (run.Answers, run.MaxSendLagMs, run.Seconds);
        var used = (await ResourceSnapshot.TakeAsync(options)).Minus(before);
        var ok = answers.Where(a => a.Error is null).ToArray();
        return new PositionResult(total, ok.Length, [.. answers.Where(a => a.Error is not null).Select(a => a.Error!)],
            Math.Max(seconds, elapsed), new Percentiles(ok.Select(a => a.Ms)), maxLag, used);
    }

    private static async Task<(double Ms, string? Error)> ReportAsync(LiveVolunteer volunteer, Model.GeoPoint at)
    {
        var sent = Stopwatch.GetTimestamp();
        try
        {
            var answer = await volunteer.Client.PostAsync("/api/volunteers/me/position", new PositionReport(at.Lat, at.Lon, 10));
            var ms = Percentiles.Ms(sent, Stopwatch.GetTimestamp());
            return answer.Status == HttpStatusCode.OK ? (ms, null) : (ms, $"HTTP {(int)answer.Status}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (Percentiles.Ms(sent, Stopwatch.GetTimestamp()), e.GetType().Name);
        }
    }
}
