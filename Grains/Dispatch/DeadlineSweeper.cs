using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Runtime;
using Outreach.Cluster;
using Outreach.Database;
using Outreach.Dispatch;

namespace Outreach.Grains.Dispatch;

/// <summary>
/// Runs out the requests' deadlines. Every <see cref="DispatchOptions.DeadlineSweep"/> each active silo reads the open
/// requests whose stored deadline (<c>outreach_requests.deadline_at</c>, written in the same statement as the state)
/// has passed — its share of them, by a hash of the id, so the silos split the work and together cover all of it —
/// and tells each request (<see cref="IHelpRequestGrain.DeadlineDueAsync"/>), which escalates or lets its assignee go
/// and stores its next deadline. A request it could not tell is still due at the next sweep; a silo that dies leaves
/// its share to the others as soon as the cluster declares it dead. This replaced an Orleans reminder per request:
/// one row fewer written on every request and every claim, and no deadline that can disagree with the state.
/// </summary>
public sealed class DeadlineSweeper(
    NpgsqlDataSource database,
    IGrainFactory grains,
    IClusterMembershipService membership,
    ILocalSiloDetails silo,
    IOptions<DispatchOptions> options,
    TimeProvider clock,
    ILogger<DeadlineSweeper> log)
    : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    /// <summary>The most requests one read returns; a full read is followed at once by the next.</summary>
    internal const int Batch = 500;

    /// <summary>At most this many batches are read in one tick (a backlog of 10,000 due requests a second per silo).</summary>
    internal const int MaxBatchesPerTick = 20;

    /// <summary>Requests told at the same time.</summary>
    private const int Parallelism = 16;

    private readonly RequestTable _table = new(database);
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private bool _failing;

    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        // From when the silo takes calls until it stops taking them.
        lifecycle.Subscribe(nameof(DeadlineSweeper), ServiceLifecycleStage.Active, Start, StopAsync);
    }

    private Task Start(CancellationToken cancellationToken)
    {
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.Value.DeadlineSweep, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                // A full batch whose every request was told: more are due; read on without waiting for the next tick,
                // at most MaxBatchesPerTick times. A batch with failures (writes failing while reads work) or one
                // that stays due (a silo's clock behind) waits for the next tick instead of being read again at once.
                for (var batch = 0; batch < MaxBatchesPerTick; batch++)
                {
                    if (await SweepAsync(stopping) is not { Read: Batch, Failed: 0 })
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The silo is stopping.
        }
    }

    /// <summary>One sweep of this silo's share: the due requests read, and how many of them could not be told.</summary>
    internal async Task<(int Read, int Failed)> SweepAsync(CancellationToken cancellationToken)
    {
        if (Share(membership.CurrentSnapshot, silo.SiloAddress) is not var (shares, share))
            return (0, 0); // not (or no longer) an active member: the others sweep without it
        Guid[] due;
        try
        {
            due = await _table.DueAsync(clock.GetUtcNow(), shares, share, Batch, cancellationToken);
            if (_failing)
            {
                _failing = false;
                log.LogInformation("Deadlines read again");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Once per outage, not once per sweep: the deadlines wait in their rows until the database answers.
            if (!_failing)
                log.LogWarning("Deadlines not read ({Reason}); the sweep goes on trying", e.Message);
            _failing = true;
            return (0, 0);
        }
        var failed = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (id, _) =>
            {
                try
                {
                    await grains.Get<IHelpRequestGrain>(id).DeadlineDueAsync();
                }
                catch (Exception e)
                {
                    Interlocked.Increment(ref failed);
                    log.LogWarning("Request {RequestId}: deadline not passed yet ({Reason}); the next sweep tries again", id, e.Message);
                }
            });
        return (due.Length, failed);
    }

    /// <summary>
    /// This silo's share of the deadlines: the number of active silos and this one's place among them (ordered by
    /// address, so every silo computes the same split from the same membership); none when it is not active.
    /// </summary>
    internal static (int Shares, int Share)? Share(ClusterMembershipSnapshot snapshot, SiloAddress local)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var active = snapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active)
            .Select(m => m.SiloAddress)
            .OrderBy(a => a.ToParsableString(), StringComparer.Ordinal)
            .ToList();
        var place = active.IndexOf(local);
        return place < 0 ? null : (active.Count, place);
    }

    public void Dispose() => _stopping.Dispose();
}
