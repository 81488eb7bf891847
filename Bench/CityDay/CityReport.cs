using System.Globalization;
using System.Net;

namespace Outreach.Bench.CityDay;

/// <summary>Everything the city run measured.</summary>
public sealed record CityResult(
    BenchOptions Options,
    double ReportRate,
    LoadResult Intake,
    PositionResult Reports,
    Percentiles ReportsBeforeKill,
    ResourceSnapshot Used,
    double Web2CpuUntilKilled,
    double Seconds,
    IReadOnlyList<ClaimCall> Claims,
    IReadOnlyList<Resync?> Resyncs,
    long KilledAt,
    IReadOnlyList<DeskOpening> OpenedAtStart,
    IReadOnlyList<DeskOpening> OpenedAtEnd,
    IReadOnlyList<(MapScreen Screen, Dictionary<string, (long Count, long Bytes)> Events)> CoordinatorEvents,
    (double RssMiB, double PeakMiB)? SiloMemory,
    (double RssMiB, double PeakMiB)? WebMemory,
    int SetupRetries,
    TimeSpan Elapsed,
    CpuSample? WayBackCpuPerPhone = null);

/// <summary>The city's figures, each beside its target (issue #15), and one RESULT line.</summary>
public static class CityReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Print(CityResult r)
    {
        var o = r.Options;
        var l = r.Intake;
        var p = r.Reports;
        var u = r.Used;
        var resynced = r.Resyncs.Where(x => x is { Ok: true }).Select(x => Percentiles.Ms(r.KilledAt, x!.Value.At)).ToArray();
        var resync = new Percentiles(resynced);
        var failedResyncs = r.Resyncs.Count(x => x is not { Ok: true });
        var lateOffers = r.Resyncs.Where(x => x is { Ok: true }).Sum(x => x!.Value.OffersNotSeenLive);
        var claimOk = r.Claims.Count(c => c.Status == HttpStatusCode.OK);
        var claimConflict = r.Claims.Count(c => c.Status == HttpStatusCode.Conflict);
        var claimOther = r.Claims.Count - claimOk - claimConflict;
        var claim = new Percentiles(r.Claims.Where(c => c.Status is not null).Select(c => c.Ms));
        var busy = 100 * u.MachineBusy / Math.Max(1e-9, u.MachineTotal);
        double Cores(double cpuSeconds) => cpuSeconds / r.Seconds;

        Console.WriteLine();
        Console.WriteLine(string.Create(Invariant,
            $"== City: {o.Volunteers[0]:N0} registered, {o.OnDuty:N0} on duty, {r.Resyncs.Count:N0} phones, {o.Coordinators} coordinators, {Environment.ProcessorCount} cores; bench took {r.Elapsed.TotalMinutes:0.0} min =="));
        Console.WriteLine("| figure | measured | target |");
        Console.WriteLine("|---|---|---|");
        Row("position reports/s", $"{p.AchievedPerSecond:0} ({p.Ok:N0}/{p.Sent:N0} answered 200, errors {p.Errors.Count})", $"{r.ReportRate:0} (the city: ≥ 1,000)");
        Row("position report p50 / p99 / max ms", $"{p.Latency.At(50):0.0} / {p.Latency.At(99):0.0} / {p.Latency.Max:0.0}", "p99 ≤ 50");
        var steady = r.ReportsBeforeKill;
        Row("  before the kill (first half)", $"{steady.At(50):0.0} / {steady.At(99):0.0} / {steady.Max:0.0}", "p99 ≤ 50");
        Row("requests/s created", $"{l.AchievedPerSecond:0.0} ({l.Created:N0}/{l.Sent:N0}, errors {l.Errors.Count})", $"{o.Rate}");
        Row("POST /api/requests p50 / p99 ms", $"{l.Post.At(50):0.0} / {l.Post.At(99):0.0}", "—");
        Row("offer on a phone p50 / p99 / max ms", $"{l.Offer.At(50):0.0} / {l.Offer.At(99):0.0} / {l.Offer.Max:0.0} ({l.Offer.Count:N0} offers)",
            "at the offers scenario's (p99 ≈ 25 at 10,000)");
        var others = string.Join(", ", r.Claims.Where(c => c.Status is not (HttpStatusCode.OK or HttpStatusCode.Conflict))
            .GroupBy(c => c.Status is { } s ? ((int)s).ToString(Invariant) : "no answer").Select(g => $"{g.Key} × {g.Count()}"));
        Row("claims 200 / 409 / other", $"{claimOk:N0} / {claimConflict:N0} / {claimOther:N0}{(others.Length > 0 ? $" ({others})" : "")}", "—");
        Row("claim p50 / p99 ms", $"{claim.At(50):0.0} / {claim.At(99):0.0}", "p99 ≤ 20");
        var steadyClaims = new Percentiles(r.Claims.Where(c => c.Status is not null && Percentiles.Ms(c.At, r.KilledAt) > c.Ms).Select(c => c.Ms));
        Row("  answered before the kill", $"{steadyClaims.At(50):0.0} / {steadyClaims.At(99):0.0} ({steadyClaims.Count:N0} claims)", "p99 ≤ 20");
        Row("phones back after the kill: all / p50 / p99 ms", $"{resync.Max:0} / {resync.At(50):0} / {resync.At(99):0} ({resynced.Length:N0} of {r.Resyncs.Count:N0}; failed {failedResyncs})", "all ≤ 5,000");
        var backs = r.Resyncs.Where(x => x is { Ok: true }).Select(x => x!.Value).ToArray();
        string Way(Func<Resync, double> ms)
        {
            var way = new Percentiles(backs.Select(ms));
            return string.Create(Invariant, $"{way.At(50):0} / {way.At(99):0}");
        }
        Row("one phone's way back p50 / p99 ms: connect, record + offers + jobs",
            $"{Way(b => b.ConnectMs)}, {Way(b => b.WorkMs)}", "—");
        if (r.WayBackCpuPerPhone is { } cpu)
            Row("the way back's CPU per phone beyond the steady load, ms: web 1 / silo / PostgreSQL / bench (over s)",
                string.Create(Invariant, $"{cpu.Survivor:0.00} / {cpu.Silo:0.00} / {cpu.Postgres:0.00} / {cpu.Bench:0.00} (over {cpu.Seconds:0.0} s)"),
                "— (5,000 phones × all four ≤ 10 CPU-s to be back in 5 s on 2 cores)");
        Row("offers found on resync not seen live", $"{lateOffers:N0}", "(delivered late, not never)");
        for (var c = 0; c < r.OpenedAtStart.Count; c++)
        {
            var (a, b) = (r.OpenedAtStart[c], r.OpenedAtEnd[c]);
            var screen = r.CoordinatorEvents[c].Screen.Name;
            Row($"desk {c + 1}, snapshot page 1 ms / KB (start → end)",
                $"{a.FirstPageMs:0} / {a.FirstPageBytes / 1024.0:0} → {b.FirstPageMs:0} / {b.FirstPageBytes / 1024.0:0}", "≤ 300 ms, ≤ 1,024 KB");
            Row($"desk {c + 1}, whole snapshot: pages, open requests, ms, KB (end)",
                $"{b.SnapshotPages}, {b.OpenRequests:N0}, {b.SnapshotMs:0}, {b.SnapshotBytes / 1024.0:0}", "every open request listed");
            Row($"desk {c + 1}, map view {screen}: mode, in view, items, ms, KB (end)",
                $"{b.ViewMode}, {b.ViewTotal:N0}, {b.ViewItems:N0}, {b.ViewMs:0}, {b.ViewBytes / 1024.0:0}", "≤ 300 ms, ≤ 1,024 KB");
            var events = Messages(r.CoordinatorEvents[c].Events);
            var perSecond = events.Values.Sum(e => e.Count) / r.Seconds;
            var kbPerSecond = events.Values.Sum(e => e.Bytes) / 1024.0 / r.Seconds;
            var byName = string.Join(", ", events.OrderByDescending(e => e.Value.Count)
                .Select(e => string.Create(Invariant, $"{e.Key} {e.Value.Count / r.Seconds:0.0}")));
            var carried = r.CoordinatorEvents[c].Events.GetValueOrDefault(CityCoordinator.RequestsCarried).Count / r.Seconds;
            Row($"desk {c + 1}, live events/s and KB/s ({screen})",
                string.Create(Invariant, $"{perSecond:0.0} /s, {kbPerSecond:0.0} KB/s: {byName} (carrying {carried:0.0} requests/s)"),
                "moves and request changes ≤ 1 message per second per map");
        }
        Row("CPU cores used: silo / web 1 / web 2 (until killed) / PostgreSQL / bench",
            $"{Cores(u.Silo):0.00} / {Cores(u.Web):0.00} / {r.Web2CpuUntilKilled / (r.Seconds / 2):0.00} / {Cores(u.Postgres):0.00} / {Cores(u.Bench):0.00}; machine busy {busy:0}%",
            "—");
        Row("database: commits/s, statements/s, writes/s", string.Create(Invariant,
            $"{u.Db.Commits / r.Seconds:0}, {u.Db.Statements.Values.Sum(q => q.Calls) / r.Seconds:0}, {u.Db.Statements.Values.Where(q => Report.Writes(q.Query)).Sum(q => q.Calls) / r.Seconds:0}"), "—");
        Row("memory after: silo / web 1 RSS MiB", $"{r.SiloMemory?.RssMiB:0} / {r.WebMemory?.RssMiB:0}", "—");
        Statements(u.Db, r.Seconds);
        foreach (var error in l.Errors.Concat(p.Errors).GroupBy(e => e).OrderByDescending(g => g.Count()).Take(5))
            Console.WriteLine($"    error ×{error.Count()}: {error.Key}");
        foreach (var failed in r.Resyncs.Where(x => x is { Ok: false }).GroupBy(x => x!.Value.Error).Take(3))
            Console.WriteLine($"    resync failed ×{failed.Count()}: {failed.Key}");
        if (r.SetupRetries > 0)
            Console.WriteLine($"set-up: {r.SetupRetries} grain call(s) failed and were retried");

        var end = r.OpenedAtEnd.Count > 0 ? r.OpenedAtEnd[0] : null;
        var wayBackCpu = r.WayBackCpuPerPhone is { } w
            ? string.Create(Invariant, $"resync_cpu_ms_per_phone={w.Survivor:0.00}/{w.Silo:0.00}/{w.Postgres:0.00}/{w.Bench:0.00} ")
            : "";
        Console.WriteLine(string.Create(Invariant,
            $"RESULT scenario=city registered={o.Volunteers[0]} on_duty={o.OnDuty} phones={r.Resyncs.Count} reports_per_s={p.AchievedPerSecond:0} report_p50={p.Latency.At(50):0.0} report_p99={p.Latency.At(99):0.0} " +
            $"rps={l.AchievedPerSecond:0.0} offer_p50={l.Offer.At(50):0.0} offer_p99={l.Offer.At(99):0.0} claim_p50={claim.At(50):0.0} claim_p99={claim.At(99):0.0} " +
            $"resync_all_ms={resync.Max:0} resync_p99_ms={resync.At(99):0} resync_failed={failedResyncs} " +
            $"{wayBackCpu}" +
            $"snapshot_ms={end?.FirstPageMs:0} snapshot_kb={end?.FirstPageBytes / 1024.0:0} open_requests={end?.OpenRequests} " +
            $"desk_events_per_s={string.Join('/', r.CoordinatorEvents.Select(e => (Messages(e.Events).Values.Sum(v => v.Count) / r.Seconds).ToString("0.0", Invariant)))} " +
            $"silo_cores={Cores(u.Silo):0.00} web_cores={Cores(u.Web):0.00} pg_cores={Cores(u.Postgres):0.00} bench_cores={Cores(u.Bench):0.00} machine_busy_pct={busy:0}"));
    }

    /// <summary>The statements of the run per second (pg_stat_statements, when loaded): the 12 most called.</summary>
    private static void Statements(DatabaseCounters db, double seconds)
    {
        var top = db.Statements.Values.Where(q => q.Calls > 0).OrderByDescending(q => q.Calls).Take(12).ToArray();
        if (top.Length == 0)
            return;
        Console.WriteLine("  statements per second (pg_stat_statements):");
        foreach (var q in top)
        {
            var text = string.Join(' ', q.Query.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
            Console.WriteLine(string.Create(Invariant,
                $"    {q.Calls / seconds,8:0.0}/s × {q.TotalMs / Math.Max(1, q.Calls),6:0.000} ms  {(text.Length > 110 ? text[..110] + "…" : text)}"));
        }
    }

    private static void Row(string figure, string measured, string target) =>
        Console.WriteLine($"| {figure} | {measured} | {target} |");

    /// <summary>The live messages a desk received, without the counts beside them (<see cref="CityCoordinator.RequestsCarried"/>).</summary>
    private static Dictionary<string, (long Count, long Bytes)> Messages(Dictionary<string, (long Count, long Bytes)> events) =>
        events.Where(e => e.Key != CityCoordinator.RequestsCarried).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
}
