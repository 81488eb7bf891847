using System.Net;
using System.Text.Json.Nodes;
using Npgsql;

namespace Outreach.Tests.Infrastructure;

/// <summary>Bounded waits for a cluster that is recovering from a killed silo.</summary>
public static class ClusterWaits
{
    /// <summary>
    /// Right after a silo dies, calls routed to it fail until membership declares it dead; the contract is that the
    /// cluster recovers, so call again for a bounded time (90 s) and return the last answer.
    /// </summary>
    public static async Task<(HttpStatusCode Status, JsonNode? Body)> UntilOkAsync(Func<Task<(HttpStatusCode, JsonNode?)>> call)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            try
            {
                var result = await call();
                if (result.Item1 == HttpStatusCode.OK || DateTime.UtcNow > deadline)
                    return result;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && DateTime.UtcNow < deadline)
            {
                // A call that reached the dead silo waits for Orleans' response timeout, longer than the client's.
            }
            await Task.Delay(500);
        }
    }

    /// <summary>Waits (≤ 60 s) until the membership table lists <paramref name="count"/> active silos.</summary>
    public static async Task ActiveSilosAsync(OutreachSystem system, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var active = 0L;
        while (DateTime.UtcNow < deadline)
        {
            await using var connection = new NpgsqlConnection(system.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT count(*) FROM orleansmembershiptable WHERE status = 3", connection);
            active = (long)(await command.ExecuteScalarAsync())!;
            if (active == count)
                return;
            await Task.Delay(250);
        }
        Assert.Fail($"expected {count} active silos in the membership table, saw {active}");
    }

    /// <summary>Reads until <paramref name="done"/> holds (every 100 ms, at most <paramref name="patience"/>) and returns that read.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var value = await read();
            if (done(value))
                return value;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"waited {patience.TotalSeconds:0} s for {what}; last read: {value}");
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until <paramref name="done"/> answers true (every 100 ms, at most <paramref name="patience"/>).</summary>
    public static Task UntilAsync(Func<Task<bool>> done, string what, TimeSpan patience) =>
        UntilAsync(done, d => d, what, patience);
}
