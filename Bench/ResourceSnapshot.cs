namespace Outreach.Bench;

/// <summary>CPU seconds used so far by each process of the system, the machine and the database's counters.</summary>
public sealed record ResourceSnapshot(double Silo, double Web, double Postgres, double Bench, double MachineBusy, double MachineTotal, DatabaseCounters Db)
{
    public static async Task<ResourceSnapshot> TakeAsync(BenchOptions options)
    {
        var (busy, total) = ProcessProbe.Machine();
        return new ResourceSnapshot(
            ProcessProbe.CpuSeconds(options.SiloPid),
            ProcessProbe.CpuSeconds(options.WebPid),
            ProcessProbe.PostgresCpuSeconds(options.PostgresPid),
            ProcessProbe.CpuSeconds(Environment.ProcessId),
            busy,
            total,
            await DatabaseCounters.ReadAsync(options.ConnectionString))
        {
            Switches = new(ProcessProbe.ContextSwitches(options.SiloPid), ProcessProbe.ContextSwitches(options.WebPid), ProcessProbe.ContextSwitches(Environment.ProcessId)),
        };
    }

    /// <summary>Context switches of the silo's, the web node's and the bench's threads (<see cref="ProcessProbe.ContextSwitches"/>).</summary>
    public SwitchCounts Switches { get; init; }

    /// <summary>CPU seconds the machine spent on anything but the silo, the web node, PostgreSQL and the bench (other work beside us).</summary>
    public double Others => MachineBusy - Silo - Web - Postgres - Bench;

    public ResourceSnapshot Minus(ResourceSnapshot before) => new(
        Silo - before.Silo, Web - before.Web, Postgres - before.Postgres, Bench - before.Bench,
        MachineBusy - before.MachineBusy, MachineTotal - before.MachineTotal, Db.Minus(before.Db))
    {
        // A lower bound: threads that exited in between took their counts with them (never below zero).
        Switches = new(Math.Max(0, Switches.Silo - before.Switches.Silo), Math.Max(0, Switches.Web - before.Switches.Web), Math.Max(0, Switches.Bench - before.Switches.Bench)),
    };
}

/// <summary>Context switches of the silo, the web node and the bench.</summary>
public readonly record struct SwitchCounts(long Silo, long Web, long Bench);
