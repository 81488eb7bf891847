using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace Outreach.Cluster;

/// <summary>
/// Rides out the second or so between a silo's death and the cluster declaring it dead. Until then a call to a
/// grain the dead silo held (a dispatch cell, a directory shard, a volunteer) is refused at once; instead of failing
/// the command — and leaving the family's request unoffered until the operator or the next deadline tick tries
/// again — the call is made again after a short pause, until it goes through or <see cref="Budget"/> has passed.
/// Only for calls that are safe to repeat: reads, and steps the callee treats as idempotent (the request grain's
/// fact-gathering calls; the web's intake, whose request id is fixed before the first attempt).
/// </summary>
public static class ClusterRetry
{
    /// <summary>How long a call keeps being tried: a little more than a killed silo takes to be declared dead.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);

    // Short, and capped short: a refused call costs a connection attempt on the caller's own machine, and the pause
    // after the cluster has settled is time the family's request waits for nothing (pauses up to 400 ms left one
    // of six silo kills with offers stopped 2.3 s, against 1.3–1.6 s for the others).
    private static readonly TimeSpan[] Pauses =
        [TimeSpan.FromMilliseconds(25), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(150)];

    /// <summary>Runs <paramref name="call"/>, again after a pause while it fails because a silo is gone.</summary>
    public static async Task<T> RunAsync<T>(Func<Task<T>> call, TimeProvider clock, TimeSpan? budget = null)
    {
        var started = clock.GetTimestamp();
        var limit = budget ?? Budget;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (IsSiloGone(e) && clock.GetElapsedTime(started) < limit)
            {
                await Task.Delay(Pauses[Math.Min(attempt, Pauses.Length - 1)], clock);
            }
        }
    }

    /// <summary>Whether <paramref name="exception"/> (or what it wraps) says the target silo could not be reached.</summary>
    public static bool IsSiloGone(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException)
                return true;
        }
        return false;
    }
}
