using System.Diagnostics;

namespace Outreach.Bench.CityDay;

/// <summary>CPU seconds each process has used so far, and when they were read.</summary>
public readonly record struct CpuSample(long At, double Silo, double Survivor, double Postgres, double Bench)
{
    public static CpuSample Take(BenchOptions o) => new(Stopwatch.GetTimestamp(),
        ProcessProbe.CpuSeconds(o.SiloPid), ProcessProbe.CpuSeconds(o.WebPid), ProcessProbe.PostgresCpuSeconds(o.PostgresPid),
        ProcessProbe.CpuSeconds(Environment.ProcessId));

    /// <summary>What was used since <paramref name="before"/>; <see cref="At"/> becomes the interval's length.</summary>
    public CpuSample Since(CpuSample before) =>
        new(At - before.At, Silo - before.Silo, Survivor - before.Survivor, Postgres - before.Postgres, Bench - before.Bench);

    /// <summary>An interval's CPU less <paramref name="other"/>'s scaled to this interval's length (the same length kept).</summary>
    public CpuSample Beyond(CpuSample other)
    {
        var f = Seconds / Math.Max(1e-9, other.Seconds);
        return this with
        {
            Silo = Silo - other.Silo * f, Survivor = Survivor - other.Survivor * f,
            Postgres = Postgres - other.Postgres * f, Bench = Bench - other.Bench * f,
        };
    }

    /// <summary>CPU milliseconds for each of <paramref name="count"/> (the interval's length kept).</summary>
    public CpuSample MillisecondsEach(int count) =>
        this with { Silo = Silo * 1000 / count, Survivor = Survivor * 1000 / count, Postgres = Postgres * 1000 / count, Bench = Bench * 1000 / count };

    /// <summary>An interval's length in seconds.</summary>
    public double Seconds => At / (double)Stopwatch.Frequency;
}

/// <summary>
/// What the way back cost each process, per phone: its CPU from the kill until the last phone was back, less what
/// the steady load spent in as long before the kill (the run's first half). Read from <c>/proc</c> every 200 ms after
/// the kill, so a figure is good to a sample and to the clock tick (10 ms) — the wall time of the way back varies
/// from run to run more than the work it takes.
/// </summary>
public sealed class WayBackCpu
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);
    private readonly BenchOptions _options;
    private readonly CpuSample _start;
    private readonly List<CpuSample> _samples = [];
    private CpuSample _killed;
    private Task? _sampling;

    private WayBackCpu(BenchOptions options, CpuSample start)
    {
        _options = options;
        _start = start;
    }

    /// <summary>Starts measuring at the beginning of the measured run (the steady load's reference).</summary>
    public static WayBackCpu Start(BenchOptions options) => new(options, CpuSample.Take(options));

    /// <summary>The node is killed now: samples until every phone is back (or the bench stops waiting).</summary>
    public void Killed(IReadOnlyList<CitySocket> sockets)
    {
        _killed = CpuSample.Take(_options);
        _sampling = Task.Run(async () =>
        {
            var waited = Stopwatch.StartNew();
            while (sockets.Any(s => s.Resynced is null) && waited.Elapsed < GiveUpAfter)
            {
                _samples.Add(CpuSample.Take(_options));
                await Task.Delay(Every);
            }
            _samples.Add(CpuSample.Take(_options));
        });
    }

    /// <summary>
    /// CPU milliseconds per phone each process spent beyond its steady load from the kill to <paramref name="lastBack"/>
    /// (the first sample at or after it); null when nothing was sampled.
    /// </summary>
    public async Task<CpuSample?> PerPhoneAsync(long lastBack, int phones)
    {
        if (_sampling is null || phones == 0)
            return null;
        await _sampling; // read only after the sampling ended
        var end = _samples.FirstOrDefault(s => s.At >= lastBack, _samples[^1]);
        return end.Since(_killed).Beyond(_killed.Since(_start)).MillisecondsEach(phones);
    }
}
