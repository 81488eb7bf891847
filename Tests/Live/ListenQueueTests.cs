using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Outreach.Tests.Api;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Live;

/// <summary>
/// A web node that dies sends every phone it held to the others at once. The kernel queues the connections a node has
/// not accepted yet, up to the node's listen queue; beyond it, it drops them, and each phone retries only after a second
/// or more. The queue must hold a crowd, not Kestrel's default of 512.
/// </summary>
[Collection(SystemCollection.Name)]
[Category(TestCategory.System)]
public sealed class ListenQueueTests(SystemFixture fixture)
{
    private const int Arriving = 1_000;

    [Fact]
    public async Task AThousandPhonesArrivingWhileTheNodeCannotRun_AreAllQueuedThenServed()
    {
        // The kernel's ceiling on any listening socket (4096 on Debian): the queue cannot be longer than it.
        var ceiling = int.Parse(File.ReadAllText("/proc/sys/net/core/somaxconn").Trim(), CultureInfo.InvariantCulture);
        var expected = Math.Min(Arriving, ceiling + 1);
        var node = await ExtraNodes.GetAsync(fixture.System, "listen-queue", new Dictionary<string, string>());
        var sockets = new Socket[Arriving];
        await node.Process.PauseAsync();
        int connected;
        try
        {
            // Nothing here is accepted while the node is frozen: every connection that completes waits in the queue.
            var results = await Task.WhenAll(Enumerable.Range(0, Arriving).Select(async i =>
            {
                var socket = sockets[i] = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await socket.ConnectAsync(IPAddress.Loopback, node.Url.Port, patience.Token);
                    return true;
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException)
                {
                    return false;
                }
            }));
            connected = results.Count(c => c);
        }
        finally
        {
            await node.Process.ResumeAsync();
        }
        foreach (var socket in sockets)
            socket?.Dispose();

        Assert.True(connected >= expected, $"{connected} of {Arriving} connections were queued while the node could not run (expected {expected}; the kernel allows {ceiling})");
        using var client = node.Anonymous();
        var (status, _) = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, status);
    }
}
