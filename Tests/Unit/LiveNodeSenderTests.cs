using Microsoft.Extensions.Logging.Abstractions;
using Outreach.Accounts;
using Outreach.Grains.Live;
using Outreach.Live;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary>
/// A silo's delivery to one web node: in order, sent again when a call failed, each batch relayed once (the node
/// drops a number it already relayed, as <c>LiveRelay.DeliverAsync</c> does).
/// </summary>
[Category(TestCategory.Unit)]
public sealed class LiveNodeSenderTests
{
    [Fact]
    public async Task AFailedDelivery_IsSentAgain_WithoutWaitingForTheNextBatch()
    {
        var node = new FakeNode { FailNext = 1 };
        using var sender = new LiveNodeSender("node-1", node, DateTimeOffset.UtcNow, "silo-a", TimeProvider.System, NullLogger.Instance);

        var batch = Batch("request changed");
        sender.Enqueue(batch, DateTimeOffset.UtcNow);

        // The first call fails (a silo on the way died); nothing else is published for a while (a quiet evening).
        // The sender retries after 250 ms: well within 5 s the node must have the batch.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (node.RelayedNow().Length == 0 && DateTime.UtcNow < deadline)
            await Task.Delay(50);

        Assert.True(node.Calls >= 1, "the first delivery was never tried");
        Assert.Equal([batch], node.RelayedNow());
    }

    [Fact]
    public async Task ABatchGivenUpAfterItArrived_DoesNotMakeTheNextBatchesLookAlreadyRelayed()
    {
        var clock = new ManualClock();
        // The first call reaches the node, which relays it, but its answer is lost (the call never completes here).
        var node = new FakeNode { LoseAnswerOfNext = 1 };
        using var sender = new LiveNodeSender("node-1", node, clock.GetUtcNow(), "silo-a", clock, NullLogger.Instance);

        var old = Batch("old");
        sender.Enqueue(old, clock.GetUtcNow());
        await WaitAsync(() => node.RelayedNow().Length == 1, "the first batch relayed");
        // Then the node cannot be reached for longer than MaxAge: the sender gives the first batch up.
        node.Unreachable = true;
        await Task.Delay(LiveNodeSender.DeliveryTimeout + TimeSpan.FromMilliseconds(500));
        clock.Advance(LiveNodeSender.MaxAge + TimeSpan.FromSeconds(1));
        node.Unreachable = false;
        var next = Batch("offer to a volunteer");
        sender.Enqueue(next, clock.GetUtcNow());

        await WaitAsync(() => node.Answered >= 1, "a delivery answered");
        await Task.Delay(200);
        Assert.Equal([old, next], node.RelayedNow());
    }

    private static LiveBatch Batch(string reason) => LiveBatch.Of(new OfferWithdrawal([Guid.NewGuid()], Guid.NewGuid(), reason));

    private static async Task WaitAsync(Func<bool> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>A web node as <c>LiveRelay.DeliverAsync</c> is: relays only numbers past the last it relayed from the source.</summary>
    private sealed class FakeNode : ILiveObserver
    {
        private readonly Dictionary<string, long> _delivered = [];
        private readonly Lock _gate = new();

        private readonly List<LiveBatch> _relayed = [];

        public LiveBatch[] RelayedNow()
        {
            lock (_gate)
                return [.. _relayed];
        }

        public volatile bool Unreachable;

        public int FailNext { get; set; }

        public int LoseAnswerOfNext { get; set; }

        public int Calls;
        public int Answered;

        public Task OnBatchAsync(LiveBatch batch) => Task.CompletedTask;

        public Task EndSessionsAsync(SessionRevocation revocation) => Task.CompletedTask;

        public Task DeliverAsync(string source, long firstSeq, LiveBatch[] batches)
        {
            Interlocked.Increment(ref Calls);
            lock (_gate)
            {
                if (Unreachable || FailNext > 0)
                {
                    if (!Unreachable)
                        FailNext--;
                    return Task.FromException(new TimeoutException("a silo on the way died"));
                }
                var done = _delivered.GetValueOrDefault(source);
                for (var i = 0; i < batches.Length; i++)
                {
                    if (firstSeq + i > done)
                        _relayed.Add(batches[i]);
                }
                _delivered[source] = Math.Max(done, firstSeq + batches.Length - 1);
                if (LoseAnswerOfNext > 0)
                {
                    LoseAnswerOfNext--;
                    return new TaskCompletionSource().Task; // relayed, but the answer never comes back
                }
            }
            Interlocked.Increment(ref Answered);
            return Task.CompletedTask;
        }
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
