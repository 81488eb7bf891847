using Orleans.Concurrency;
using Outreach.Accounts;

namespace Outreach.Live;

/// <summary>A web node's receiver of live events; the node relays them to its SignalR connections.</summary>
[Alias("Outreach.ILiveObserver")]
public interface ILiveObserver : IGrainObserver
{
    /// <summary>Takes a batch of events; fire-and-forget, so a slow or dead node never holds up a grain.</summary>
    [OneWay, Alias("OnBatch")]
    Task OnBatchAsync(LiveBatch batch);

    /// <summary>
    /// Takes batches in order and answers once they are handed to SignalR, so the sending silo knows they
    /// arrived and can send them again when they did not (a silo on the way died). <paramref name="source"/>
    /// names the sender and <paramref name="firstSeq"/> numbers the first batch (the others follow), so a batch
    /// sent again after a lost answer is recognised and dropped.
    /// </summary>
    [Alias("Deliver")]
    Task DeliverAsync(string source, long firstSeq, LiveBatch[] batches);

    /// <summary>
    /// An account's sessions were revoked: the node forgets what it remembered of the account and closes its hub
    /// connections that carry an older stamp. Answered once done, so the account grain knows the node has it.
    /// </summary>
    [Alias("EndSessions")]
    Task EndSessionsAsync(SessionRevocation revocation);
}
