using System.Diagnostics;

namespace Outreach.Bench;

/// <summary>What an open-loop run returned: every answer, the sender's worst lag behind its schedule, the seconds it took.</summary>
public sealed record OpenLoopRun<T>(T[] Answers, double MaxSendLagMs, double Seconds);

/// <summary>
/// Open loop: call i is started at start + i/rate whether or not earlier ones were answered (a slow system does not
/// slow the load down, as real users would not wait for each other), then every answer is awaited.
/// </summary>
public static class OpenLoop
{
    public static async Task<OpenLoopRun<T>> RunAsync<T>(int count, double rate, Func<int, Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var calls = new Task<T>[count];
        var maxLag = 0.0;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var due = start + (long)(i * (double)Stopwatch.Frequency / rate);
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > Stopwatch.Frequency / 1000)
                await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
            maxLag = Math.Max(maxLag, Percentiles.Ms(due, Stopwatch.GetTimestamp()));
            calls[i] = call(i);
        }
        var answers = await Task.WhenAll(calls);
        return new OpenLoopRun<T>(answers, maxLag, Percentiles.Ms(start, Stopwatch.GetTimestamp()) / 1000);
    }
}
