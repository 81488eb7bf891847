using Outreach.Grains.Live;
using Outreach.Live;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Live;

/// <summary>
/// A real system with two web nodes, both subscribed to the live registry, and an Orleans client of its
/// cluster so tests can publish batches as grains do.
/// </summary>
public sealed class LiveSystemFixture : ClientSystemFixture
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(250);

    /// <summary>The first web node.</summary>
    public WebNode NodeA => System.WebNodes[0];

    /// <summary>The second web node.</summary>
    public WebNode NodeB => System.WebNodes[1];

    protected override async Task<OutreachSystem> StartSystemAsync()
    {
        var system = await OutreachSystem.StartAsync("live");
        try
        {
            await system.StartWebAsync();
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }
        return system;
    }

    protected override async Task OnStartedAsync()
    {
        await WaitForLiveNodesAsync(2, TimeSpan.FromSeconds(30));
        // The silo's list of nodes may have been fetched before both registered; past its refresh period it has
        // asked the registry again, so the first publish of a test reaches both nodes.
        await Task.Delay(LiveNodes.RefreshEvery + LiveNodes.RefreshTimeout + TimeSpan.FromSeconds(0.5));
    }

    /// <summary>Hands a batch to a notifier, as a grain would.</summary>
    public Task PublishAsync(LiveBatch batch) => Client.LiveNotifier().PublishAsync(batch);

    /// <summary>How many web nodes the registry lists now.</summary>
    public async Task<int> LiveNodeCountAsync() =>
        (await Client.LiveRegistry().GetObserversAsync()).Observers.Length;

    /// <summary>Waits until the registry lists exactly <paramref name="count"/> web nodes.</summary>
    public async Task WaitForLiveNodesAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var seen = await LiveNodeCountAsync();
        while (seen != count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"The live registry listed {seen} web node(s), not {count}, after {timeout.TotalSeconds} s:\n"
                    + string.Join("\n", System.WebNodes.Select(w => $"{w.Process.Name}:\n{w.Process.Tail(15)}")));
            }
            await Task.Delay(PollEvery);
            seen = await LiveNodeCountAsync();
        }
    }
}
