using System.Globalization;

namespace Outreach.Bench;

/// <summary>Reads memory and CPU time of a process (and of PostgreSQL's backends) from /proc.</summary>
public static class ProcessProbe
{
    /// <summary>Kernel clock ticks per second (USER_HZ), 100 on Linux.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>Resident memory (VmRSS) and its peak (VmHWM) in MiB; null when the process is not readable.</summary>
    public static (double RssMiB, double PeakMiB)? Memory(int? pid)
    {
        if (pid is null || !File.Exists($"/proc/{pid}/status"))
            return null;
        double rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                rss = Kb(line) / 1024;
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                peak = Kb(line) / 1024;
        }
        return (rss, peak);
    }

    /// <summary>CPU seconds (user + system) the process has used; with <paramref name="withChildren"/> also its reaped children's.</summary>
    public static double CpuSeconds(int? pid, bool withChildren = false)
    {
        if (pid is null || Stat(pid.Value) is not { } f)
            return 0;
        var ticks = f[11] + f[12] + (withChildren ? f[13] + f[14] : 0);
        return ticks / TicksPerSecond;
    }

    /// <summary>
    /// Context switches of the process's live threads so far, voluntary (a thread that went to sleep: a wait, an idle
    /// worker) and involuntary (preempted) together; a thread that has exited takes its count with it.
    /// </summary>
    public static long ContextSwitches(int? pid)
    {
        if (pid is null)
            return 0;
        long total = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                    {
                        if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                            total += long.Parse(line[(line.IndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // The thread exited while it was read.
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process is gone or not ours to read.
        }
        return total;
    }

    /// <summary>CPU seconds of a PostgreSQL server: the postmaster, its exited backends, and its live ones.</summary>
    public static double PostgresCpuSeconds(int? postmaster)
    {
        if (postmaster is null)
            return 0;
        var total = CpuSeconds(postmaster, withChildren: true);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || Stat(pid) is not { } f)
                continue;
            if ((int)f[1] == postmaster)
                total += (f[11] + f[12]) / TicksPerSecond;
        }
        return total;
    }

    /// <summary>Busy and total CPU seconds of the whole machine (every core) from /proc/stat.</summary>
    public static (double Busy, double Total) Machine()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var idle = fields[3] + fields[4];
        var total = fields.Take(8).Sum();
        return ((total - idle) / TicksPerSecond, total / TicksPerSecond);
    }

    /// <summary>The fields of /proc/PID/stat after the command name: [0] state, [1] ppid, … [11] utime, [12] stime, [13] cutime, [14] cstime.</summary>
    private static double[]? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        var rest = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return [.. rest.Take(15).Select(v => double.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0)];
    }

    private static double Kb(string line) =>
        double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
