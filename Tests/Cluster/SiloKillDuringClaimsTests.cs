using System.Collections.Concurrent;
using System.Net;
using Outreach.Tests.Dispatch;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Cluster;

/// <summary>
/// A silo killed (SIGKILL) in the middle of claim races: each volunteer's phone retries its claim on a server error or a
/// timeout, as the page does. However the kill falls — before a claim's write, during it, or between the write and the
/// answer — each request has exactly one volunteer told it is theirs, and that is the volunteer stored as its assignee.
/// </summary>
[Category(TestCategory.System)]
public sealed class SiloKillDuringClaimsTests
{
    private const int Requests = 12;
    private const int KillAfter = 4;

    [Fact]
    public async Task SiloKilled_DuringClaimRaces_EachRequestHasOneWinner_AndItIsTheStoredAssignee()
    {
        await using var system = await OutreachSystem.StartAsync("claim-kill");
        await system.StartSiloAsync();
        var scene = new Scene(system.Web);
        using var op = await TestUsers.CreateAsync(system.Web, "operator");
        using var coordinator = await TestUsers.CreateAsync(system.Web, "coordinator");
        var racers = new List<TestUser>();
        for (var i = 0; i < 3; i++)
            racers.Add(await scene.VolunteerAsync(scene.Offset(100 + i * 50, 0), capacity: 10));
        try
        {
            var requests = new List<Guid>();
            for (var i = 0; i < Requests; i++)
                requests.Add(await scene.RequestAsync(op.Client, key: $"claim-kill-{i}-{Guid.NewGuid():N}"));

            var told = new ConcurrentDictionary<Guid, ConcurrentBag<(Guid Volunteer, HttpStatusCode Status)>>();
            var raced = 0;
            var killed = new TaskCompletionSource();
            var races = Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (id, _) =>
            {
                var answers = told.GetOrAdd(id, _ => []);
                await Task.WhenAll(racers.Select(async racer => answers.Add((racer.VolunteerId!.Value, await ClaimWithRetriesAsync(racer.Client, id)))));
                if (Interlocked.Increment(ref raced) == KillAfter)
                    killed.TrySetResult();
            });
            await killed.Task.WaitAsync(TimeSpan.FromSeconds(120));
            await system.Silos[0].Process.KillAsync();
            await races;

            foreach (var id in requests)
            {
                var answers = told[id].ToArray();
                Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.OK or HttpStatusCode.Conflict, $"request {id}: a claim ended {(int)a.Status}"));
                var winner = Assert.Single(answers.Where(a => a.Status == HttpStatusCode.OK).Select(a => a.Volunteer).Distinct());
                var (status, request) = await ClusterWaits.UntilOkAsync(() => coordinator.Client.GetAsync($"/api/requests/{id}"));
                Assert.True(status == HttpStatusCode.OK, $"request {id}: {(int)status}");
                Assert.Equal("Claimed", request!["status"]!.GetValue<string>());
                Assert.Equal(winner, request["assignedVolunteerId"]!.GetValue<Guid>());
            }
        }
        finally
        {
            foreach (var racer in racers)
                racer.Dispose();
        }
    }

    /// <summary>What the volunteer's page does: the same claim again on a server error or a timeout, for up to 90 s.</summary>
    private static async Task<HttpStatusCode> ClaimWithRetriesAsync(ApiClient client, Guid id)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            try
            {
                var (status, _) = await client.PostAsync($"/api/requests/{id}/claim", null);
                if ((int)status < 500 || DateTime.UtcNow > deadline)
                    return status;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && DateTime.UtcNow < deadline)
            {
                // Timed out waiting on the dead silo: try again.
            }
            await Task.Delay(300);
        }
    }
}
