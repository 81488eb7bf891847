using System.Diagnostics;
using System.Net;
using Outreach.Model;

namespace Outreach.Bench;

/// <summary>What the claim races measured.</summary>
public sealed record RaceResult(int Races, int NotPosted, int ExactlyOneWinner, int FullyOffered, int Ok, int Conflict, int Other, Percentiles Claim, Percentiles Winner, RaceCpu Cpu)
{
    /// <summary>The bench's own collector's pauses while the claims were out (its answers were time-stamped late by them).</summary>
    public double BenchGcPauseMs { get; init; }

    /// <summary>The race whose slowest answer was the slowest: that answer (ms), and the bench's own pauses during it.</summary>
    public (double SlowestMs, double BenchGcPauseMs) SlowestRace { get; init; }

    /// <summary>Each measured race's window on the monotonic clock, for the servers' collector stops (<see cref="ServerPauses"/>).</summary>
    public IReadOnlyList<RaceWindow> Windows { get; init; } = [];
}

/// <summary>
/// CPU seconds each process used while the races' claims were out (from the first claim sent to the last answer, summed
/// over the races): what a race's burst of claims costs, apart from the intake and the offers before it.
/// </summary>
public sealed record RaceCpu(double Silo, double Web, double Postgres, double Bench)
{
    /// <summary>
    /// Reads the processes' CPU so far. The bench's own is read after the others when the window starts and before
    /// them when it ends, so the window never counts the bench's scan of <c>/proc</c> for PostgreSQL's backends.
    /// </summary>
    public static RaceCpu Now(BenchOptions options, bool windowStarts)
    {
        var benchAtEnd = windowStarts ? 0 : ProcessProbe.CpuSeconds(Environment.ProcessId);
        var silo = ProcessProbe.CpuSeconds(options.SiloPid);
        var web = ProcessProbe.CpuSeconds(options.WebPid);
        var postgres = ProcessProbe.PostgresCpuSeconds(options.PostgresPid);
        return new(silo, web, postgres, windowStarts ? ProcessProbe.CpuSeconds(Environment.ProcessId) : benchAtEnd);
    }

    public static RaceCpu operator +(RaceCpu a, RaceCpu b) => new(a.Silo + b.Silo, a.Web + b.Web, a.Postgres + b.Postgres, a.Bench + b.Bench);

    public static RaceCpu operator -(RaceCpu a, RaceCpu b) => new(a.Silo - b.Silo, a.Web - b.Web, a.Postgres - b.Postgres, a.Bench - b.Bench);
}

/// <summary>
/// Claim races: a request of category Other at the racers' spot is offered to exactly the racers (nobody else
/// has that skill); once every racer has the offer, all of them claim at once.
/// </summary>
public sealed class ClaimRace(Hotline hotline, OfferLog offers, IReadOnlyList<LiveVolunteer> racers, BenchOptions options)
{
    /// <summary>
    /// Races run before the measured ones, not counted: enough for the claim path's code to reach its final tier in the
    /// web node, the silo and the bench (with 5, races run later in the same run were faster than the first ones, and
    /// the web node spent a median 0.22 ms of CPU per measured claim; with 25, 0.13; docs/PERF.md, session 25).
    /// </summary>
    public const int WarmupRaces = 25;

    public async Task<RaceResult> RunAsync(int races)
    {
        int notPosted = 0, exactlyOne = 0, fullyOffered = 0, ok = 0, conflict = 0, other = 0;
        var claims = new List<double>();
        var winners = new List<double>();
        var cpu = new RaceCpu(0, 0, 0, 0);
        var benchPause = TimeSpan.Zero;
        (double SlowestMs, double BenchGcPauseMs) slowest = (0, 0);
        var windows = new List<RaceWindow>();
        for (var race = 0; race < races; race++)
        {
            var intake = await hotline.PostAsync($"race-{Guid.NewGuid():N}", City.RaceSpot, HelpCategory.Other);
            if (intake.RequestId is not { } id)
            {
                Console.WriteLine($"    race {race}: posting the request failed: {intake.Error}");
                notPosted++;
                continue;
            }
            if (await offers.WaitForAsync(id, racers.Count, TimeSpan.FromSeconds(10)) >= racers.Count)
                fullyOffered++;

            var before = RaceCpu.Now(options, windowStarts: true);
            var pausedBefore = GC.GetTotalPauseDuration();
            var sentAt = Stopwatch.GetTimestamp();
            var answers = await Task.WhenAll(racers.Select(r => ClaimAsync(r, id)));
            var answeredAt = Stopwatch.GetTimestamp();
            var slowestAnswer = answers.Max(a => a.Ms);
            windows.Add(new RaceWindow(sentAt, answeredAt, slowestAnswer));
            var paused = GC.GetTotalPauseDuration() - pausedBefore;
            cpu += RaceCpu.Now(options, windowStarts: false) - before;
            benchPause += paused;
            if (slowestAnswer > slowest.SlowestMs)
                slowest = (slowestAnswer, paused.TotalMilliseconds);
            var wins = answers.Count(a => a.Status == HttpStatusCode.OK);
            exactlyOne += wins == 1 ? 1 : 0;
            ok += wins;
            conflict += answers.Count(a => a.Status == HttpStatusCode.Conflict);
            other += answers.Count(a => a.Status is not (HttpStatusCode.OK or HttpStatusCode.Conflict));
            claims.AddRange(answers.Select(a => a.Ms));
            winners.AddRange(answers.Where(a => a.Status == HttpStatusCode.OK).Select(a => a.Ms));
        }
        return new RaceResult(races, notPosted, exactlyOne, fullyOffered, ok, conflict, other, new Percentiles(claims), new Percentiles(winners), cpu)
        {
            BenchGcPauseMs = benchPause.TotalMilliseconds,
            SlowestRace = slowest,
            Windows = windows,
        };
    }

    private static async Task<(HttpStatusCode Status, double Ms)> ClaimAsync(LiveVolunteer racer, Guid requestId)
    {
        await Task.Yield(); // start every claim before any of them is sent
        var start = Stopwatch.GetTimestamp();
        var status = await racer.ClaimAsync(requestId);
        return (status, Percentiles.Ms(start, Stopwatch.GetTimestamp()));
    }
}
