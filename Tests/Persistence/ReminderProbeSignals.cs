using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Outreach.Tests.Persistence;

/// <summary>Lets a test wait for a probe's reminder tick (the silos run in the test's own process).</summary>
public static class ReminderProbeSignals
{
    private static readonly ConcurrentDictionary<Guid, Channel<DateTimeOffset>> _ticks = new();

    /// <summary>Called by the probe after it persisted a tick.</summary>
    public static void Record(Guid probe, DateTimeOffset at) => For(probe).Writer.TryWrite(at);

    /// <summary>The first tick of the probe later than <paramref name="after"/>; throws when none comes in time.</summary>
    public static async Task<DateTimeOffset> WaitForTickAfterAsync(Guid probe, DateTimeOffset after, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await foreach (var at in For(probe).Reader.ReadAllAsync(deadline.Token))
            {
                if (at > after)
                    return at;
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
        }
        throw new TimeoutException(
            $"The reminder of probe {probe} did not fire after {after:O} within {timeout.TotalSeconds:0} s.");
    }

    private static Channel<DateTimeOffset> For(Guid probe) =>
        _ticks.GetOrAdd(probe, _ => Channel.CreateUnbounded<DateTimeOffset>());
}
