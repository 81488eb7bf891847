using System.Globalization;
using Outreach.ServiceDefaults;

namespace Outreach.Bench;

/// <summary>One claim race's window on the monotonic clock (first claim sent to last answer) and its slowest answer.</summary>
public readonly record struct RaceWindow(long StartTicks, long EndTicks, double SlowestMs);

/// <summary>
/// The silo's and the web node's stops (their <see cref="GcPauseLog"/> files, which bench.sh asks for) laid over the
/// claim races' windows: how often and how long each process was stopped while claims were out, and whether the slow
/// races are the ones a stop fell in. <see cref="Logged"/> is false when the process wrote no file.
/// </summary>
public sealed record ServerPauses(string Process, bool Logged, int Stops, double StoppedMs, IReadOnlyList<double> LongestInRace)
{
    /// <summary>A race slower than this (its slowest answer, ms) is "slow": the claim p99 target of issue #15.</summary>
    public const double SlowRaceMs = 20;

    /// <summary>A stop that held the claims at least this long (ms) is one that could make a race slow.</summary>
    public const double LongStopMs = 5;

    /// <summary>How long the runtime's events may take to reach a node's log after they happened.</summary>
    public static readonly TimeSpan LogLag = TimeSpan.FromSeconds(1);

    /// <summary>Each process's stops over the windows, from the <c>*.gc</c> files of <paramref name="directory"/> (silo, web).</summary>
    public static IReadOnlyList<ServerPauses> Over(string directory, IReadOnlyList<RaceWindow> races) =>
        [.. new[] { ("silo", Telemetry.SiloService), ("web", Telemetry.WebService) }.Select(p =>
        {
            var files = Directory.EnumerateFiles(directory, p.Item2 + "-*.gc").ToList();
            var stops = files.SelectMany(GcPauseLog.ReadLines).Select(GcPauseLog.Parse)
                .OfType<(long StartTicks, double Ms, int Generation)>().ToList();
            return Over(p.Item1, stops, races) with { Logged = files.Count > 0 };
        })];

    /// <summary>
    /// The stops of one process over the windows: each stop counted in a window it overlaps, by the overlap; per race,
    /// the longest single overlap.
    /// </summary>
    public static ServerPauses Over(string process, IReadOnlyList<(long StartTicks, double Ms, int Generation)> stops, IReadOnlyList<RaceWindow> races)
    {
        var longest = new double[races.Count];
        var (count, total) = (0, 0.0);
        for (var i = 0; i < races.Count; i++)
        {
            foreach (var stop in stops)
            {
                var end = stop.StartTicks + (long)(stop.Ms / 1000 * System.Diagnostics.Stopwatch.Frequency);
                var from = Math.Max(stop.StartTicks, races[i].StartTicks);
                var to = Math.Min(end, races[i].EndTicks);
                if (to <= from)
                    continue;
                var overlap = Percentiles.Ms(from, to);
                longest[i] = Math.Max(longest[i], overlap);
                total += overlap;
                count++;
            }
        }
        return new ServerPauses(process, true, count, total, longest);
    }

    /// <summary>
    /// The line the bench prints for a measured intake (<paramref name="window"/>): how often each process stopped in it,
    /// for how long in all, and its longest stop.
    /// </summary>
    public static string DescribeIntake(string directory, string label, RaceWindow window) =>
        string.Create(CultureInfo.InvariantCulture, $"{label}: the servers' runtimes stopped them during the measured intake: ") +
        string.Join("; ", Over(directory, [window]).Select(p => p.Logged
            ? string.Create(CultureInfo.InvariantCulture, $"{p.Process} {p.Stops} times, {p.StoppedMs:0.0} ms in all, the longest {p.LongestInRace[0]:0.0} ms")
            : $"{p.Process}: no log"));

    /// <summary>The line the bench prints: both processes' stops in the races, and how many slow races had a long one.</summary>
    public static string Describe(IReadOnlyList<ServerPauses> pauses, IReadOnlyList<RaceWindow> races)
    {
        bool Held(int race) => pauses.Any(p => p.LongestInRace[race] >= LongStopMs);
        var slow = Enumerable.Range(0, races.Count).Where(i => races[i].SlowestMs > SlowRaceMs).ToList();
        var others = Enumerable.Range(0, races.Count).Except(slow).ToList();
        var each = string.Join(", ", pauses.Select(p => p.Logged
            ? string.Create(CultureInfo.InvariantCulture, $"{p.Process} {p.Stops} times, {p.StoppedMs:0.0} ms")
            : $"{p.Process}: no log"));
        return string.Create(CultureInfo.InvariantCulture,
            $"claim races: the servers' runtimes stopped them while the claims were out ({each}); {slow.Count(Held)} of the {slow.Count} races with an answer over {SlowRaceMs:0} ms " +
            $"had one stop of {LongStopMs:0} ms or more in them, {others.Count(Held)} of the other {others.Count}");
    }
}
