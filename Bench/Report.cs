using System.Globalization;

namespace Outreach.Bench;

/// <summary>The printed results: a block per population size, then one table and one RESULT line per size.</summary>
public static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Memory((double RssMiB, double PeakMiB)? memory) =>
        memory is { } m ? string.Create(Invariant, $"{m.RssMiB:0} MiB (peak {m.PeakMiB:0})") : "n/a";

    public static void Step(StepResult s)
    {
        var l = s.Load;
        Console.WriteLine(string.Create(Invariant, $"""
              requests: {l.Created}/{l.Sent} created in {l.Seconds:0.0} s = {l.AchievedPerSecond:0.0}/s, errors {l.Errors.Count}, sender max lag {l.MaxSendLagMs:0.0} ms, mean offered {l.MeanOffered:0.0}
              POST 201 ms      p50 / p95 / p99 / max: {l.Post.Summary()}
              offer ms ({l.Offer.Count,5}) p50 / p95 / p99 / max: {l.Offer.Summary()}
              CPU ms per request: silo {s.PerRequestMs(s.Used.Silo):0.00}, web {s.PerRequestMs(s.Used.Web):0.00}, PostgreSQL {s.PerRequestMs(s.Used.Postgres):0.00}, bench {s.PerRequestMs(s.Used.Bench):0.00}; machine busy {100 * s.Used.MachineBusy / Math.Max(1e-9, s.Used.MachineTotal):0}%, of which other work beside us {100 * s.Used.Others / Math.Max(1e-9, s.Used.MachineTotal):0}%; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}
              context switches per request: silo {(double)s.Used.Switches.Silo / Math.Max(1, l.Created):0}, web {(double)s.Used.Switches.Web / Math.Max(1, l.Created):0}, bench {(double)s.Used.Switches.Bench / Math.Max(1, l.Created):0} (threads going to sleep and being woken, or preempted; a lower bound: threads that exit take their counts)
              database per request: {(double)s.Used.Db.Commits / Math.Max(1, l.Created):0.00} commits, of which writing {WritesPerRequest(s)} (target ≤ 3: the reads commit too, without a WAL flush); rows written {RowsPerRequest(s)}
              memory after: silo {Memory(s.SiloMemory)}, web {Memory(s.WebMemory)}
            """));
        foreach (var error in l.Errors.GroupBy(e => e).OrderByDescending(g => g.Count()).Take(5))
            Console.WriteLine($"    error ×{error.Count()}: {error.Key}");
        Statements(s);
    }

    /// <summary>The position-report phase: rate held, latency, CPU and statements per report.</summary>
    public static void Positions(PositionResult p)
    {
        var u = p.Used;
        Console.WriteLine(string.Create(Invariant, $"""
              reports: {p.Ok}/{p.Sent} answered 200 in {p.Seconds:0.0} s = {p.AchievedPerSecond:0.0}/s, errors {p.Errors.Count}, sender max lag {p.MaxSendLagMs:0.0} ms
              POST position ms p50 / p95 / p99 / max: {p.Latency.Summary()}
              CPU ms per report: silo {p.PerReportMs(u.Silo):0.000}, web {p.PerReportMs(u.Web):0.000}, PostgreSQL {p.PerReportMs(u.Postgres):0.000}, bench {p.PerReportMs(u.Bench):0.000}; machine busy {100 * u.MachineBusy / Math.Max(1e-9, u.MachineTotal):0}%, of which other work beside us {100 * u.Others / Math.Max(1e-9, u.MachineTotal):0}%
              database per report: {(double)u.Db.Statements.Values.Sum(q => q.Calls) / Math.Max(1, p.Ok):0.000} statements, {u.Db.Statements.Values.Where(q => Writes(q.Query)).Sum(q => q.Calls) / (double)Math.Max(1, p.Ok):0.000} writes
            RESULT positions_per_s={p.AchievedPerSecond:0.0} errors={p.Errors.Count} position_p50={p.Latency.At(50):0.0} position_p99={p.Latency.At(99):0.0} silo_cpu_ms_per_report={p.PerReportMs(u.Silo):0.000} web_cpu_ms_per_report={p.PerReportMs(u.Web):0.000} pg_cpu_ms_per_report={p.PerReportMs(u.Postgres):0.000}
            """));
        foreach (var error in p.Errors.GroupBy(e => e).OrderByDescending(g => g.Count()).Take(5))
            Console.WriteLine($"    error ×{error.Count()}: {error.Key}");
    }

    /// <summary>Writing statements per request (each its own commit on the intake path), when pg_stat_statements is loaded.</summary>
    private static string WritesPerRequest(StepResult s) => s.Used.Db.Statements.Count == 0
        ? "n/a"
        : (s.Used.Db.Statements.Values.Where(q => Writes(q.Query)).Sum(q => q.Calls) / (double)Math.Max(1, s.Load.Created)).ToString("0.00", Invariant);

    /// <summary>Whether a statement writes (INSERT, UPDATE, DELETE, COPY … FROM, or a WITH that does).</summary>
    public static bool Writes(string query)
    {
        var text = query.TrimStart().ToUpperInvariant();
        return text.StartsWith("INSERT", StringComparison.Ordinal) || text.StartsWith("UPDATE", StringComparison.Ordinal)
            || (text.StartsWith("COPY", StringComparison.Ordinal) && text.Contains(" FROM ", StringComparison.Ordinal))
            || text.StartsWith("DELETE", StringComparison.Ordinal)
            || (text.StartsWith("WITH", StringComparison.Ordinal) && (text.Contains("INSERT", StringComparison.Ordinal)
                || text.Contains("UPDATE", StringComparison.Ordinal) || text.Contains("DELETE", StringComparison.Ordinal)));
    }

    /// <summary>The statements a request cost (pg_stat_statements, when loaded): calls per request, mean time, the text.</summary>
    private static void Statements(StepResult s)
    {
        var created = Math.Max(1, s.Load.Created);
        var top = s.Used.Db.Statements.Values.Where(q => q.Calls > 0).OrderByDescending(q => q.Calls).Take(15).ToArray();
        if (top.Length == 0)
            return;
        var writes = s.Used.Db.Statements.Values.Where(q => Writes(q.Query)).Sum(q => q.Calls) / (double)created;
        Console.WriteLine(string.Create(Invariant,
            $"  statements per request (pg_stat_statements; {s.Used.Db.Statements.Values.Sum(q => q.Calls) / (double)created:0.00} in all, {s.Used.Db.Statements.Values.Sum(q => q.TotalMs) / created:0.00} ms; {writes:0.00} write — each its own commit):"));
        foreach (var q in top)
        {
            var text = string.Join(' ', q.Query.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
            Console.WriteLine(string.Create(Invariant,
                $"    {q.Calls / (double)created,6:0.00} × {q.TotalMs / Math.Max(1, q.Calls),6:0.000} ms  {(text.Length > 110 ? text[..110] + "…" : text)}"));
        }
    }

    public static void Final(BenchOptions o, IReadOnlyList<StepResult> steps, RaceResult? races, TimeSpan elapsed)
    {
        Console.WriteLine();
        Console.WriteLine($"== Results ({o.Rate} requests/s for {o.Duration} s, {o.Connections} connected volunteers, {Environment.ProcessorCount} cores; bench took {elapsed.TotalMinutes:0.0} min) ==");
        Console.WriteLine("| volunteers | setup s | req/s | errors | POST p50/p95/p99 ms | offers | offer p50/p95/p99/max ms | silo CPU ms/req | web | PG | silo RSS MiB | web RSS MiB |");
        Console.WriteLine("|---:|---:|---:|---:|---|---:|---|---:|---:|---:|---:|---:|");
        foreach (var s in steps)
        {
            var l = s.Load;
            Console.WriteLine(string.Create(Invariant,
                $"| {s.Volunteers:N0} | {s.SetupSeconds:0} | {l.AchievedPerSecond:0.0} | {l.Errors.Count} | {l.Post.At(50):0.0} / {l.Post.At(95):0.0} / {l.Post.At(99):0.0} | {l.Offer.Count} | " +
                $"{l.Offer.At(50):0.0} / {l.Offer.At(95):0.0} / {l.Offer.At(99):0.0} / {l.Offer.Max:0.0} | {s.PerRequestMs(s.Used.Silo):0.00} | {s.PerRequestMs(s.Used.Web):0.00} | " +
                $"{s.PerRequestMs(s.Used.Postgres):0.00} | {s.SiloMemory?.RssMiB:0} | {s.WebMemory?.RssMiB:0} |"));
        }
        if (steps.Count > 1)
        {
            var (a, b) = (steps[0], steps[^1]);
            Console.WriteLine(string.Create(Invariant,
                $"ratio {b.Volunteers:N0} / {a.Volunteers:N0}: offer p50 ×{b.Load.Offer.At(50) / a.Load.Offer.At(50):0.00}, p99 ×{b.Load.Offer.At(99) / a.Load.Offer.At(99):0.00}, " +
                $"silo CPU per request ×{b.PerRequestMs(b.Used.Silo) / a.PerRequestMs(a.Used.Silo):0.00}"));
        }
        if (races is not null)
        {
            Console.WriteLine(string.Create(Invariant,
                $"claim races: exactly one winner {races.ExactlyOneWinner}/{races.Races - races.NotPosted} (request not posted: {races.NotPosted}); every racer offered {races.FullyOffered}/{races.Races}; " +
                $"200 × {races.Ok}, 409 × {races.Conflict}, other × {races.Other}; claim ms p50 {races.Claim.At(50):0.0}, p99 {races.Claim.At(99):0.0}, max {races.Claim.Max:0.0}; winner p50 {races.Winner.At(50):0.0}"));
            var claims = Math.Max(1, races.Ok + races.Conflict + races.Other);
            Console.WriteLine(string.Create(Invariant,
                $"claim races: CPU ms per claim while the claims were out: silo {1000 * races.Cpu.Silo / claims:0.00}, web {1000 * races.Cpu.Web / claims:0.00}, " +
                $"PostgreSQL {1000 * races.Cpu.Postgres / claims:0.00}, bench {1000 * races.Cpu.Bench / claims:0.00} (clock ticks of 10 ms, summed over the races)"));
            Console.WriteLine(string.Create(Invariant,
                $"claim races: the bench's own collector paused it {races.BenchGcPauseMs:0.0} ms while the claims were out; the slowest race's slowest answer {races.SlowestRace.SlowestMs:0.0} ms, with {races.SlowestRace.BenchGcPauseMs:0.0} ms of the bench's pauses in it"));
            if (o.GcPauseDirectory is { } gcDirectory && Directory.Exists(gcDirectory))
                Console.WriteLine(ServerPauses.Describe(ServerPauses.Over(gcDirectory, races.Windows), races.Windows));
        }
        if (o.GcPauseDirectory is { } stopLogs && Directory.Exists(stopLogs))
        {
            foreach (var s in steps)
                Console.WriteLine(ServerPauses.DescribeIntake(stopLogs, string.Create(Invariant, $"N={s.Volunteers:N0}"), s.Measured));
        }
        foreach (var s in steps)
        {
            var l = s.Load;
            Console.WriteLine(string.Create(Invariant,
                $"RESULT volunteers={s.Volunteers} setup_s={s.SetupSeconds:0.0} rps={l.AchievedPerSecond:0.0} errors={l.Errors.Count} post_p50={l.Post.At(50):0.0} post_p95={l.Post.At(95):0.0} post_p99={l.Post.At(99):0.0} " +
                $"offers={l.Offer.Count} offer_p50={l.Offer.At(50):0.0} offer_p95={l.Offer.At(95):0.0} offer_p99={l.Offer.At(99):0.0} offer_max={l.Offer.Max:0.0} " +
                $"silo_cpu_ms={s.PerRequestMs(s.Used.Silo):0.00} web_cpu_ms={s.PerRequestMs(s.Used.Web):0.00} pg_cpu_ms={s.PerRequestMs(s.Used.Postgres):0.00} bench_cpu_ms={s.PerRequestMs(s.Used.Bench):0.00} " +
                $"machine_busy_pct={100 * s.Used.MachineBusy / Math.Max(1e-9, s.Used.MachineTotal):0} others_pct={100 * s.Used.Others / Math.Max(1e-9, s.Used.MachineTotal):0} commits_per_req={(double)s.Used.Db.Commits / Math.Max(1, l.Created):0.00} " +
                $"writes_per_req={s.Used.Db.Statements.Values.Where(q => Writes(q.Query)).Sum(q => q.Calls) / (double)Math.Max(1, l.Created):0.00} " +
                $"silo_switches_per_req={(double)s.Used.Switches.Silo / Math.Max(1, l.Created):0} web_switches_per_req={(double)s.Used.Switches.Web / Math.Max(1, l.Created):0} " +
                $"silo_rss_mib={s.SiloMemory?.RssMiB:0} web_rss_mib={s.WebMemory?.RssMiB:0}") +
                (races is null ? "" : string.Create(Invariant, $" races_one_winner={races.ExactlyOneWinner}/{races.Races - races.NotPosted} claim_p50={races.Claim.At(50):0.0} claim_p99={races.Claim.At(99):0.0}")));
        }
    }

    private static string RowsPerRequest(StepResult s) => string.Join(", ", s.Used.Db.RowsWritten
        .Where(p => p.Value > 0).OrderByDescending(p => p.Value)
        .Select(p => string.Create(Invariant, $"{p.Key} {(double)p.Value / Math.Max(1, s.Load.Created):0.00}")));
}
