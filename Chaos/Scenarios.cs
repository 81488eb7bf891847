using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Orleans.Runtime;
using Outreach.Live;

namespace Outreach.Chaos;

/// <summary>One check's outcome: its name, whether it held, and the figures that say so.</summary>
public sealed record Check(string Name, bool Passed);

/// <summary>What a fault produced beyond the common checks: its own figures and checks.</summary>
public sealed record FaultResult(string Figures, IReadOnlyList<Check> Checks);

/// <summary>Everything a scenario needs: the system, the clients, the checker.</summary>
public sealed record Harness(ChaosOptions Options, Fleet Fleet, IGrainFactory Grains, Crew Crew, CallLog Calls, Func<Hostile> Hostile);

/// <summary>The faults. Each runs while the steady load runs; its <c>at(share)</c> waits until that share of the load has passed.</summary>
public static class Faults
{
    public static Task<FaultResult> RunAsync(string scenario, Harness h, Func<double, Task> at) => scenario switch
    {
        "silo-kill" => SiloKillAsync(h, at),
        "web-kill" => WebKillAsync(h, at),
        "db-outage" => DatabaseOutageAsync(h, at),
        "hostile" => HostileAsync(h, at),
        _ => throw new ArgumentException($"unknown scenario {scenario}"),
    };

    /// <summary>kill -9 of the silo holding the live registry grain (key LiveKeys.Registry, "live"), restart; then the same for the other silo.</summary>
    private static async Task<FaultResult> SiloKillAsync(Harness h, Func<double, Task> at)
    {
        await at(0.2);
        var holder = await LiveRegistryHolderAsync(h);
        var first = holder ?? h.Fleet.Silos[0];
        var (firstKill, firstRestart) = await KillAndRestartAsync(h, first);
        await at(0.6);
        var second = h.Fleet.Silos.First(s => s != first);
        var (secondKill, secondRestart) = await KillAndRestartAsync(h, second);
        await at(1.0);
        await Task.Delay(TimeSpan.FromSeconds(5)); // offers of the last moments still on their way
        var gap1 = h.Crew.Deliveries.GapAround(firstKill);
        var gap2 = h.Crew.Deliveries.GapAround(secondKill);
        var figures = string.Create(CultureInfo.InvariantCulture,
            $"{first.Name} {(holder is null ? "(holder of 'live' not found)" : "(held 'live')")} killed: offers stopped {Seconds(gap1)}, ready again after {firstRestart:0.0} s; " +
            $"{second.Name} killed: offers stopped {Seconds(gap2)}, ready again after {secondRestart:0.0} s");
        return new FaultResult(figures, [new Check("live registry holder found", holder is not null)]);
    }

    /// <summary>kill -9 of a web node: its volunteers must reconnect to the other node and resync.</summary>
    private static async Task<FaultResult> WebKillAsync(Harness h, Func<double, Task> at)
    {
        await at(0.3);
        var victim = h.Fleet.Webs[1];
        var onVictim = h.Crew.Volunteers.Where(v => v.Node == 1).ToList();
        var resyncsBefore = onVictim.ToDictionary(v => v, v => v.Resyncs);
        await victim.KillAsync();
        var killedAt = Stopwatch.StartNew();
        var moved = 0;
        while (killedAt.Elapsed < TimeSpan.FromSeconds(60))
        {
            moved = onVictim.Count(v => v.Connected && v.Node == 0 && v.Resyncs > resyncsBefore[v]);
            if (moved == onVictim.Count)
                break;
            await Task.Delay(200);
        }
        var allBackIn = killedAt.Elapsed.TotalSeconds;
        await at(0.6);
        var restart = await h.Fleet.RestartAsync(victim);
        await at(1.0);
        var figures = string.Create(CultureInfo.InvariantCulture,
            $"web-1 killed: {moved}/{onVictim.Count} of its volunteers reconnected to web-0 and resynced (all within {allBackIn:0.0} s); web-1 ready again after {restart:0.0} s");
        return new FaultResult(figures, [new Check("clients reconnected and resynced", moved == onVictim.Count)]);
    }

    /// <summary>PostgreSQL stopped (fast) for 10 s, then started on the same port.</summary>
    private static async Task<FaultResult> DatabaseOutageAsync(Harness h, Func<double, Task> at)
    {
        await at(0.3);
        var stoppedAt = DateTimeOffset.UtcNow;
        await PostgresAsync(h, "stop");
        var down = DateTimeOffset.UtcNow;
        await Task.Delay(stoppedAt + TimeSpan.FromSeconds(10) - DateTimeOffset.UtcNow is var rest && rest > TimeSpan.Zero ? rest : TimeSpan.Zero);
        var start = PostgresAsync(h, "start");
        var backAt = await FirstConnectionAsync(h.Options.ConnectionString, TimeSpan.FromSeconds(60));
        await start;
        await at(1.0);
        await Task.Delay(Api.CallTimeout); // let the calls of the outage end

        var during = h.Calls.Overlapping(stoppedAt, backAt ?? DateTimeOffset.UtcNow);
        var failing = during.Where(c => c.Failed).ToList();
        var good = failing.Count(c => c.Status == 503 && c.RetryAfter);
        var without = failing.Count(c => c.Status == 503 && !c.RetryAfter);
        var errors500 = failing.Count(c => c.Status == 500);
        var other = failing.Count(c => c.Status is > 500 and not 503);
        var noAnswer = failing.Count(c => c.Status is null);
        var hung = during.Count(c => c.Seconds > 10);
        var intakes = h.Calls.Between(stoppedAt - Api.CallTimeout, DateTimeOffset.MaxValue).Where(c => c.Kind == "intake" && c.Succeeded).ToList();
        var firstSuccess = backAt is null ? null : intakes.Where(c => c.End >= backAt).Select(c => (DateTimeOffset?)c.End).Min();
        var whileDown = intakes.Count(c => c.End > down && c.End < (backAt ?? DateTimeOffset.MaxValue));
        var recovery = firstSuccess - backAt;
        var figures = string.Create(CultureInfo.InvariantCulture,
            $"PostgreSQL down {(down - stoppedAt).TotalSeconds:0.0} s after the stop command, back (accepting) {((backAt ?? DateTimeOffset.UtcNow) - stoppedAt).TotalSeconds:0.0} s after it; " +
            $"calls in the outage {during.Count}, failing {failing.Count}: 503+Retry-After {good}, 503 without Retry-After {without}, 500 {errors500}, other 5xx {other}, " +
            $"no answer {noAnswer}; hung > 10 s {hung}; first intake 201 {(recovery is { } r ? $"{r.TotalSeconds:0.00} s" : "never")} after the database was back (201s while it was down: {whileDown}) " +
            $"(kinds failing: {string.Join(", ", failing.GroupBy(c => $"{c.Kind} {c.Status?.ToString(CultureInfo.InvariantCulture) ?? "none"}").Select(g => $"{g.Key} ×{g.Count()}"))})");
        return new FaultResult(figures,
        [
            new Check("outage: every failing call 503 + Retry-After, none hung", backAt is not null && failing.Count == good && hung == 0),
            new Check("outage: first success <= 1 s after the database is back", recovery is { } d && d <= TimeSpan.FromSeconds(1)),
        ]);
    }

    /// <summary>The hostile inputs, while the load runs, then valid writes.</summary>
    private static async Task<FaultResult> HostileAsync(Harness h, Func<double, Task> at)
    {
        await at(0.1);
        var result = await h.Hostile().RunAsync(h.Options.HostileInputs);
        var figures = string.Create(CultureInfo.InvariantCulture,
            $"hostile inputs {result.Sent}: 5xx or no answer {result.ServerErrors}{Example(result.ServerErrorExample)}; accepted {result.Accepted} ({result.AcceptedByKind}), " +
            $"stored invalid on read-back {result.StoredInvalid}{Example(result.StoredInvalidExample)}; valid writes after {result.ValidWrites - result.ValidWritesFailed}/{result.ValidWrites} succeeded{Example(result.ValidFailureExample)}");
        return new FaultResult(figures,
        [
            new Check("hostile: no 5xx", result.ServerErrors == 0),
            new Check("hostile: no invalid input accepted", result.Accepted == 0 && result.StoredInvalid == 0),
            new Check("hostile: valid writes after all succeed", result.ValidWritesFailed == 0),
        ]);
    }

    private static async Task<(DateTimeOffset KilledAt, double RestartSeconds)> KillAndRestartAsync(Harness h, NodeProcess silo)
    {
        var killedAt = DateTimeOffset.UtcNow;
        await silo.KillAsync();
        return (killedAt, await h.Fleet.RestartAsync(silo));
    }

    /// <summary>The silo where the live registry grain is activated, asked of the management grain (retried while the cluster settles).</summary>
    private static async Task<NodeProcess?> LiveRegistryHolderAsync(Harness h)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                var registry = h.Grains.LiveRegistry();
                await registry.GetObserversAsync(); // it is active (the web nodes renew every 10 s); make sure
                var address = await h.Grains.GetGrain<IManagementGrain>(0).GetActivationAddress(registry);
                if (address is not null)
                    return h.Fleet.SiloOnPort(address.Endpoint.Port);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Console.WriteLine($"    looking up the live registry's silo failed: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        return null;
    }

    private static async Task PostgresAsync(Harness h, string verb)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", [h.Options.PostgresScript, verb]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("could not run the PostgreSQL script");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{h.Options.PostgresScript} {verb} failed with exit status {process.ExitCode}");
    }

    /// <summary>When a fresh connection to the database first opens (polled every 50 ms); null if not within <paramref name="limit"/>.</summary>
    private static async Task<DateTimeOffset?> FirstConnectionAsync(string connectionString, TimeSpan limit)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 1 };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync();
                return DateTimeOffset.UtcNow;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
            {
                await Task.Delay(50);
            }
        }
        return null;
    }

    private static string Seconds(TimeSpan? gap) => gap is { } g ? string.Create(CultureInfo.InvariantCulture, $"{g.TotalSeconds:0.0} s") : "(no offer after)";

    private static string Example(string example) => example.Length == 0 ? "" : $" [e.g. {example}]";
}
