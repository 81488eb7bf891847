using System.Collections.Concurrent;
using System.Net;
using Npgsql;
using Outreach.Tests.Dispatch;
using Outreach.Tests.Infrastructure;
using Outreach.Web.Dispatch;

namespace Outreach.Tests.Cluster;

/// <summary>
/// A silo killed (SIGKILL) in the middle of a burst of intakes: the hotline retries each call with its
/// Idempotency-Key like a real client, and every request it was told is recorded is in storage: the request's
/// state, its ledger row, and it reads back through the API. No "201" may come from memory alone.
/// </summary>
[Category(TestCategory.System)]
public sealed class SiloKillDuringIntakeTests
{
    private const int Requests = 60;
    private const int KillAfter = 15;

    [Fact]
    public async Task SiloKilled_DuringABurstOfIntakes_EveryAcknowledgedRequestIsStored()
    {
        await using var system = await OutreachSystem.StartAsync("intake-kill");
        await system.StartSiloAsync();
        var scene = new Scene(system.Web);
        using var op = await TestUsers.CreateAsync(system.Web, "operator");
        using var coordinator = await TestUsers.CreateAsync(system.Web, "coordinator");
        for (var i = 0; i < 3; i++)
            (await scene.VolunteerAsync(scene.Offset(100 + i * 50, 0), capacity: 3)).Dispose();

        var acknowledged = new ConcurrentDictionary<Guid, string>();
        var done = 0;
        var killed = new TaskCompletionSource();
        var keys = Enumerable.Range(0, Requests).Select(i => $"burst-{i}-{Guid.NewGuid():N}").ToArray();
        var burst = Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (key, _) =>
        {
            var (status, body) = await PostWithRetriesAsync(scene, op.Client, key);
            if (status == HttpStatusCode.Created)
                acknowledged[body!["id"]!.GetValue<Guid>()] = key;
            if (Interlocked.Increment(ref done) == KillAfter)
                killed.TrySetResult();
        });
        await killed.Task.WaitAsync(TimeSpan.FromSeconds(120));
        await system.Silos[0].Process.KillAsync();
        await burst;

        Assert.Equal(Requests, acknowledged.Count);
        await using var db = NpgsqlDataSource.Create(system.ConnectionString);
        foreach (var (id, key) in acknowledged)
        {
            Assert.Equal(RequestIds.For(op.AccountId, key), id);
            await using var command = db.CreateCommand("SELECT status, state IS NOT NULL FROM outreach_requests WHERE id = $1");
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync(), $"request {id} was acknowledged but has no row");
            Assert.Equal("Offered", reader.GetString(0));
            Assert.True(reader.GetBoolean(1), $"request {id} was acknowledged but its state is not stored");
            var (status, request) = await ClusterWaits.UntilOkAsync(() => coordinator.Client.GetAsync($"/api/requests/{id}"));
            Assert.True(status == HttpStatusCode.OK, $"request {id}: {(int)status}");
            Assert.Equal("Offered", request!["status"]!.GetValue<string>());
        }
    }

    /// <summary>What the hotline's client does: the same body and key again on a server error or a timeout, for up to 90 s.</summary>
    private static async Task<(HttpStatusCode Status, System.Text.Json.Nodes.JsonNode? Body)> PostWithRetriesAsync(
        Scene scene, ApiClient client, string key)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            try
            {
                var (status, body) = await scene.PostRequestAsync(client, key: key);
                if ((int)status < 500 || DateTime.UtcNow > deadline)
                    return (status, body);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && DateTime.UtcNow < deadline)
            {
                // Timed out waiting on the dead silo: try again.
            }
            await Task.Delay(300);
        }
    }
}
