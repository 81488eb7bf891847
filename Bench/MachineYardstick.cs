using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Outreach.Bench;

/// <summary>
/// What this machine charges for the two things every message between our processes costs many times over: entering
/// the kernel and waking a sleeping thread. Printed at the start of a run, so figures from different machines (or from
/// the same virtual machine on a different day) can be read against each other (docs/PERF.md, "The machine's price of
/// a wake-up").
/// </summary>
public static partial class MachineYardstick
{
    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int GetParentProcessId();

    /// <summary>The median of five rounds: a null system call (ns) and a wake-up round trip between two threads (µs).</summary>
    public static (double SyscallNs, double WakeRoundTripUs) Measure()
    {
        var syscalls = new List<double>();
        var wakes = new List<double>();
        for (var round = 0; round < 5; round++)
        {
            syscalls.Add(SyscallNs(200_000));
            wakes.Add(WakeRoundTripUs(2_000));
        }
        return (Median(syscalls), Median(wakes));
    }

    private static double SyscallNs(int calls)
    {
        var start = Stopwatch.GetTimestamp();
        var sum = 0L;
        for (var i = 0; i < calls; i++)
            sum += GetParentProcessId();
        var ns = Stopwatch.GetElapsedTime(start).TotalNanoseconds / calls;
        GC.KeepAlive(sum); // the sum only keeps the calls from being left out
        return ns;
    }

    /// <summary>
    /// Two threads hand a turn back and forth, each asleep on its own event until the other wakes it (an
    /// <see cref="AutoResetEvent"/> does not spin first, so each trip is two real wake-ups).
    /// </summary>
    private static double WakeRoundTripUs(int trips)
    {
        using var ping = new AutoResetEvent(false);
        using var pong = new AutoResetEvent(false);
        var peer = new Thread(() =>
        {
            for (var i = 0; i < trips; i++)
            {
                ping.WaitOne();
                pong.Set();
            }
        }) { IsBackground = true };
        peer.Start();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < trips; i++)
        {
            ping.Set();
            pong.WaitOne();
        }
        var elapsed = Stopwatch.GetElapsedTime(start);
        peer.Join();
        return elapsed.TotalMicroseconds / trips;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
