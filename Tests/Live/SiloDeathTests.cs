using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Outreach.Contracts;
using Outreach.Tests.Dispatch;
using Outreach.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Outreach.Tests.Live;

/// <summary>
/// The live path across a silo's death, with real processes: two silos, one web node, a volunteer's SignalR
/// connection. Whichever silo is killed (the one holding the live registry, or the other), requests submitted
/// right after it died still reach the volunteer's socket — late perhaps, never dropped.
/// </summary>
[Category(TestCategory.System)]
public sealed class SiloDeathTests(ITestOutputHelper output)
{
    private const int RequestsAfterKill = 6;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SiloKilled_OffersSubmittedRightAfter_StillReachTheVolunteer(bool killRegistryHost)
    {
        await using var system = await OutreachSystem.StartAsync(killRegistryHost ? "death_registry" : "death_other");
        await system.StartSiloAsync();
        await ClusterWaits.ActiveSilosAsync(system, 2);
        using var client = await ClusterClient.StartAsync(system);

        var scene = new Scene(system.Web);
        using var volunteer = await scene.VolunteerAsync(scene.Offset(200, 0));
        using var hotline = await TestUsers.CreateAsync(system.Web, "operator");
        await using var socket = await LiveListener.ConnectAsync("volunteer", system.Web, volunteer.Client.Cookies);
        var warmUp = await scene.RequestAsync(hotline.Client);
        await socket.WaitForAsync(LiveEvents.Offer, p => p.GetProperty("requestId").GetGuid() == warmUp, "the offer before any silo died");

        var registryHost = await client.RegistryHostPortAsync();
        var victim = system.Silos.Single(s => (s.SiloPort == registryHost) == killRegistryHost);
        await victim.Process.KillAsync();
        var clock = Stopwatch.StartNew();
        var killedAt = DateTimeOffset.UtcNow;

        // The hotline keeps taking calls: one request every 250 ms, each retried (same idempotency key) until accepted.
        var submitted = new List<(Guid Id, TimeSpan Accepted)>();
        for (var i = 0; i < RequestsAfterKill; i++)
        {
            var (id, offered) = await SubmitWithRetryAsync(scene, hotline.Client, $"after-kill-{Guid.NewGuid():N}");
            output.WriteLine($"request {id} accepted at +{clock.Elapsed.TotalSeconds:0.00} s, offered to {offered}");
            submitted.Add((id, clock.Elapsed));
            await Task.Delay(250);
        }

        var report = new List<string>();
        output.WriteLine($"killed the silo {(killRegistryHost ? "holding" : "not holding")} the live registry");
        try
        {
            foreach (var (id, accepted) in submitted)
            {
                var remaining = Deadline - clock.Elapsed;
                var offer = await socket.WaitForAsync(LiveEvents.Offer, p => p.GetProperty("requestId").GetGuid() == id,
                    $"the offer of request {id}, accepted {accepted.TotalSeconds:0.0} s after the kill",
                    remaining > TimeSpan.Zero ? remaining : TimeSpan.FromSeconds(1));
                report.Add($"request accepted at +{accepted.TotalSeconds:0.00} s, its offer on the socket at +{(offer.ReceivedAt - killedAt).TotalSeconds:0.00} s");
            }
        }
        finally
        {
            output.WriteLine(string.Join("\n", report));
            output.WriteLine("events: " + string.Join(", ", socket.Received.Select(m => m.Event)));
            output.WriteLine("web:\n" + system.Web.Process.Tail(40));
            foreach (var silo in system.Silos.Where(s => s != victim))
                output.WriteLine("surviving silo:\n" + silo.Process.Tail(40));
        }
    }

    private async Task<(Guid Id, int Offered)> SubmitWithRetryAsync(Scene scene, ApiClient hotline, string key)
    {
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            try
            {
                var (status, body) = await scene.PostRequestAsync(hotline, key: key);
                if (status == HttpStatusCode.Created)
                    return (body!["id"]!.GetValue<Guid>(), body["offeredCount"]?.GetValue<int>() ?? -1);
                output.WriteLine($"submit: {(int)status} {body?["title"]}");
                Assert.True(status == HttpStatusCode.ServiceUnavailable, $"submitting after the kill: {(int)status} {body}");
            }
            catch (TaskCanceledException) when (DateTime.UtcNow < until)
            {
                output.WriteLine("submit: no answer within the client's time-out");
            }
            Assert.True(DateTime.UtcNow < until, "the request was not accepted within the deadline");
            await Task.Delay(250);
        }
    }

    /// <summary>An Orleans client of the system's cluster, to ask where the live registry lives.</summary>
    private sealed class ClusterClient(IHost host) : IDisposable
    {
        public static async Task<ClusterClient> StartAsync(OutreachSystem system)
        {
            var host = await system.StartClientHostAsync();
            return new ClusterClient(host);
        }

        /// <summary>The silo port of the silo that holds the live registry's activation.</summary>
        public async Task<int> RegistryHostPortAsync()
        {
            var management = host.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
            var statistics = await management.GetDetailedGrainStatistics();
            var registry = statistics.Single(s => s.GrainId.ToString().Contains("liveregistry", StringComparison.OrdinalIgnoreCase));
            return registry.SiloAddress.Endpoint.Port;
        }

        public void Dispose()
        {
            // Kill-tests leave the cluster half dead: do not wait for a graceful goodbye.
            host.Dispose();
        }
    }
}
