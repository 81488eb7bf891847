using System.Globalization;
using Outreach.ServiceDefaults;

namespace Outreach.Bench;

/// <summary>One claim race's window on the monotonic clock (first claim sent to last answer) and its slowest answer.</summary>
public readonly record struct RaceWindow(long StartTicks, long EndTicks, double SlowestMs);

/// <summary>
/// The silo's and the web node's collector stops (their <see cref="GcPauseLog"/> files, which bench.sh asks for) laid
/// over the claim races' windows: how often and how long each process was stopped while claims were out, and whether
/// the slow races are the ones a stop fell in.
/// </summary>
public sealed record ServerPauses(string Process, int Stops, double StoppedMs, IReadOnlyList<double> PerRace)
{
    /// <summary>A race slower than this (its slowest answer, ms) is "slow": the claim p99 target of issue #15.</summary>
    public const double SlowRaceMs = 20;

    /// <summary>A stop at least this long (ms) counts as one that could make a race slow.</summary>
    public const double LongStopMs = 5;

    /// <summary>Each process's stops over the windows, from the <c>*.gc</c> files of <paramref name="directory"/> (silo, web).</summary>
    public static IReadOnlyList<ServerPauses> Over(string directory, IReadOnlyList<RaceWindow> races)
    {
        var result = new List<ServerPauses>();
        foreach (var (process, prefix) in new[] { ("silo", "outreach-silo-"), ("web", "outreach-web-") })
        {
            var stops = Directory.EnumerateFiles(directory, prefix + "*.gc")
                .SelectMany(ReadShared)
                .Select(GcPauseLog.Parse).OfType<(long StartTicks, double Ms, int Generation)>()
                .ToList();
            result.Add(Over(process, stops, races));
        }
        return result;
    }

    /// <summary>The stops of one process over the windows: each stop counted in a window it overlaps, by the overlap.</summary>
    public static ServerPauses Over(string process, IReadOnlyList<(long StartTicks, double Ms, int Generation)> stops, IReadOnlyList<RaceWindow> races)
    {
        var perRace = new double[races.Count];
        var count = 0;
        for (var i = 0; i < races.Count; i++)
        {
            foreach (var stop in stops)
            {
                var end = stop.StartTicks + (long)(stop.Ms / 1000 * System.Diagnostics.Stopwatch.Frequency);
                var overlap = Math.Min(end, races[i].EndTicks) - Math.Max(stop.StartTicks, races[i].StartTicks);
                if (overlap <= 0)
                    continue;
                perRace[i] += overlap * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
                count++;
            }
        }
        return new ServerPauses(process, count, perRace.Sum(), perRace);
    }

    /// <summary>The line the bench prints: both processes' stops in the races, and how many slow races had a long one.</summary>
    public static string Describe(IReadOnlyList<ServerPauses> pauses, IReadOnlyList<RaceWindow> races)
    {
        var slow = Enumerable.Range(0, races.Count).Where(i => races[i].SlowestMs > SlowRaceMs).ToList();
        var slowStopped = slow.Count(i => pauses.Any(p => p.PerRace[i] >= LongStopMs));
        var fastStopped = Enumerable.Range(0, races.Count).Except(slow).Count(i => pauses.Any(p => p.PerRace[i] >= LongStopMs));
        var each = string.Join(", ", pauses.Select(p => string.Create(CultureInfo.InvariantCulture,
            $"{p.Process} {p.Stops} times, {p.StoppedMs:0.0} ms")));
        return string.Create(CultureInfo.InvariantCulture,
            $"claim races: the servers' collectors stopped them while the claims were out ({each}); {slowStopped} of the {slow.Count} races with an answer over {SlowRaceMs:0} ms " +
            $"had a stop of {LongStopMs:0} ms or more in them, {fastStopped} of the other {races.Count - slow.Count}");
    }

    private static IEnumerable<string> ReadShared(string path)
    {
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        while (reader.ReadLine() is { } line)
            yield return line;
    }
}
