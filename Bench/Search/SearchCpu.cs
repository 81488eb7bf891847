namespace Outreach.Bench.Search;

/// <summary>CPU seconds used so far by the processes a search can run in, and by the whole machine.</summary>
public sealed record SearchCpu(double Silo, double Postgres, double Redis, double Bench, double MachineBusy)
{
    public static SearchCpu Take(BenchOptions options) => new(
        ProcessProbe.CpuSeconds(options.SiloPid),
        ProcessProbe.PostgresCpuSeconds(options.PostgresPid),
        ProcessProbe.CpuSeconds(options.RedisPid),
        ProcessProbe.CpuSeconds(Environment.ProcessId),
        ProcessProbe.Machine().Busy);

    public SearchCpu Minus(SearchCpu before) => new(
        Silo - before.Silo, Postgres - before.Postgres, Redis - before.Redis, Bench - before.Bench, MachineBusy - before.MachineBusy);

    /// <summary>Everything else the machine did meanwhile (the web node, other people's work).</summary>
    public double Others => MachineBusy - Silo - Postgres - Redis - Bench;
}
