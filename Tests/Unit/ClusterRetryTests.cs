using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Outreach.Cluster;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary>
/// <see cref="ClusterRetry"/>: a call refused because its silo is gone is made again until it goes through; any
/// other failure, and a silo still gone after the budget, reach the caller.
/// </summary>
[Category(TestCategory.Unit)]
public sealed class ClusterRetryTests
{
    [Fact]
    public async Task RunAsync_RefusedTwiceThenAnswered_ReturnsTheAnswer()
    {
        var calls = 0;

        var answer = await ClusterRetry.RunAsync(() =>
        {
            calls++;
            return calls switch
            {
                1 => throw new OrleansException("Exception while sending message", new ConnectionFailedException("Unable to connect")),
                2 => throw new SiloUnavailableException("The target silo became unavailable"),
                _ => Task.FromResult(42),
            };
        }, TimeProvider.System);

        Assert.Equal(42, answer);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task RunAsync_OtherFailure_ReachesTheCallerAtOnce()
    {
        var calls = 0;

        await Assert.ThrowsAsync<InvalidOperationException>(() => ClusterRetry.RunAsync<int>(() =>
        {
            calls++;
            throw new InvalidOperationException("a bug");
        }, TimeProvider.System));

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task RunAsync_SiloStillGoneAfterTheBudget_ReachesTheCaller()
    {
        var calls = 0;

        await Assert.ThrowsAsync<SiloUnavailableException>(() => ClusterRetry.RunAsync<int>(() =>
        {
            calls++;
            throw new SiloUnavailableException("gone");
        }, TimeProvider.System, budget: TimeSpan.FromMilliseconds(300)));

        Assert.InRange(calls, 2, 10);
    }

    [Fact]
    public void IsSiloGone_LooksThroughWrappers()
    {
        Assert.True(ClusterRetry.IsSiloGone(new InvalidOperationException("outer", new ConnectionFailedException("refused"))));
        Assert.False(ClusterRetry.IsSiloGone(new TimeoutException("no answer")));
    }
}
