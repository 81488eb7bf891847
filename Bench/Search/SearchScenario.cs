using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Npgsql;
using Outreach.Dispatch;

namespace Outreach.Bench.Search;

/// <summary>
/// <c>--scenario search</c> (issue #15, item 7): the same candidate search over the same generated city in the dispatch
/// cells, plain SQL, PostGIS and Redis; at each population size it loads the new volunteers into all four, checks
/// that they give the same answers for a sample of queries, then measures each in a closed loop.
/// </summary>
public static class SearchScenario
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => Environment.Exit(130));
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => Environment.Exit(143));
        Console.WriteLine($"Outreach bench, search scenario: volunteers {string.Join(" → ", options.Volunteers.Select(v => v.ToString("N0", null)))}, " +
            $"{options.SearchWorkers} concurrent searches per system for {options.Duration} s (after {options.Warmup} s warm-up); redis {options.Redis}");

        await using var cluster = await ClusterConnection.ConnectAsync(options);
        var rule = await cluster.Grains.GetGrain<ICandidateSearchGrain>(0).GetRuleAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rule (from the silo): {rule.CircleMinutes} min, detour {rule.DetourFactor}, reach m walk/bike/e-bike/car " +
            $"{string.Join('/', Enum.GetValues<Model.TravelMode>().Select(m => rule.ReachM(m).ToString("0", CultureInfo.InvariantCulture)))}, " +
            $"fresh within {rule.PositionMaxAge}, best {rule.MaxOffers}; population {SearchPopulation.OnDutyShare:P0} on duty, " +
            $"{SearchPopulation.StaleShare:P0} of them stale"));

        await using var database = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(options.ConnectionString)
        {
            MaxPoolSize = Math.Max(100, options.SearchWorkers * 2 + 10),
            CommandTimeout = 600,
            // Short searches on 2 cores: a parallel plan would start a worker process per search (PostGIS's
            // estimates chose one at 100,000 and took 100× longer); an OLTP set-up turns it off.
            Options = "-c max_parallel_workers_per_gather=0",
        }.ConnectionString);
        await using var cells = new CellSearch(cluster.Grains, rule);
        await using var plain = await SqlSearch.PlainAsync(database, rule);
        await using var postgis = await SqlSearch.PostGisAsync(database, rule);
        await using var redis = await RedisSearch.ConnectAsync(options.Redis, rule);
        ICandidateSearch[] systems = [cells, plain, postgis, redis];

        var population = new SearchPopulation(new City(options.Seed), rule);
        var queries = population.Queries(20_000);
        var sample = population.Queries(options.AgreementQueries);
        var runs = new List<SearchRun>();
        var agreed = true;
        var failed = false;
        var previous = 0;
        foreach (var size in options.Volunteers)
        {
            var added = population.Make(size - previous, DateTimeOffset.UtcNow);
            previous = size;
            Console.WriteLine($"N={size:N0}: loading {added.Count:N0} more volunteers ({added.Count(v => v.OnDuty):N0} on duty)");
            foreach (var system in systems)
            {
                var watch = Stopwatch.StartNew();
                await system.AddAsync(added);
                Console.WriteLine($"    {system.Name,-22} loaded in {watch.Elapsed.TotalSeconds,6:0.0} s");
            }
            agreed &= await AgreementAsync(size, systems, sample);
            foreach (var system in systems)
            {
                var before = SearchCpu.Take(options);
                var run = await SearchLoad.RunAsync(system, size, queries, options.SearchWorkers,
                    TimeSpan.FromSeconds(options.Warmup), TimeSpan.FromSeconds(options.Duration));
                var cpu = SearchCpu.Take(options).Minus(before);
                run = run with { Cpu = cpu };
                runs.Add(run);
                failed |= run.Errors > 0;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"N={size:N0}: {run.System,-22} {run.PerSecond,8:0} searches/s   p50/p95/p99/max ms {run.Latency.Summary()}   " +
                    $"{run.MeanCandidates:0.0} candidates/search{(run.Errors > 0 ? $"   {run.Errors} ERRORS" : "")}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    CPU ms per search: silo {run.MsPerSearch(cpu.Silo):0.000}, PostgreSQL {run.MsPerSearch(cpu.Postgres):0.000}, " +
                    $"Redis {run.MsPerSearch(cpu.Redis):0.000}, bench {run.MsPerSearch(cpu.Bench):0.000}; " +
                    $"other work on the machine meanwhile {cpu.Others:0.0} CPU s of {cpu.MachineBusy:0.0} busy"));
            }
            Console.WriteLine($"N={size:N0}: silo RSS {Report.Memory(ProcessProbe.Memory(options.SiloPid))}, PostgreSQL tables {await SizesAsync(database)}");
        }
        Summary(runs, options);
        return agreed && !failed ? 0 : 1;
    }

    /// <summary>Asks every system the sample queries and compares each answer with the cells' (same ranking, same set, or not).</summary>
    private static async Task<bool> AgreementAsync(int size, ICandidateSearch[] systems, SearchQuery[] sample)
    {
        if (sample.Length == 0)
            return true;
        var answers = new Guid[systems.Length][][];
        for (var s = 0; s < systems.Length; s++)
        {
            await using var searcher = await systems[s].OpenAsync();
            answers[s] = new Guid[sample.Length][];
            for (var q = 0; q < sample.Length; q++)
                answers[s][q] = await searcher.FindAsync(sample[q]);
        }
        var all = true;
        var mean = answers[0].Average(a => a.Length);
        var parts = new List<string>();
        for (var s = 1; s < systems.Length; s++)
        {
            int ranked = 0, sameSet = 0;
            for (var q = 0; q < sample.Length; q++)
            {
                var (mine, theirs) = (answers[s][q], answers[0][q]);
                if (mine.SequenceEqual(theirs))
                    ranked++;
                else if (mine.Length == theirs.Length && mine.ToHashSet().SetEquals(theirs))
                    sameSet++;
                else if (ranked + sameSet == q)
                    Console.WriteLine($"    {systems[s].Name}: query {q} ({sample[q].Skill} at {sample[q].Position}) differs: {mine.Length} candidates vs the cells' {theirs.Length}, " +
                        $"{mine.Except(theirs).Count()} only here, {theirs.Except(mine).Count()} only in the cells");
            }
            all &= ranked + sameSet == sample.Length;
            parts.Add($"{systems[s].Name} {ranked}/{sample.Length} same ranking" + (sameSet > 0 ? $" (+{sameSet} same set)" : ""));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"N={size:N0}: agreement with the cells over {sample.Length} queries ({mean:0.0} candidates each): {string.Join(", ", parts)}"));
        return all;
    }

    private static async Task<string> SizesAsync(NpgsqlDataSource database)
    {
        await using var command = database.CreateCommand("""
            SELECT string_agg(format('%s %s (indexes %s)', c.relname, pg_size_pretty(pg_table_size(c.oid)), pg_size_pretty(pg_indexes_size(c.oid))), ', ' ORDER BY c.relname)
            FROM pg_class c WHERE c.relname IN ('bench_search_plain', 'bench_search_postgis', 'outreach_dispatch_cell_entries')
            """);
        return (string?)await command.ExecuteScalarAsync() ?? "";
    }

    private static void Summary(List<SearchRun> runs, BenchOptions options)
    {
        Console.WriteLine();
        Console.WriteLine($"search scenario: {options.SearchWorkers} concurrent searches, {options.Duration} s per system and size; " +
            "CPU per search: the silo + PostgreSQL + Redis (server) and the bench's own (client)");
        Console.WriteLine($"{"volunteers",10} {"system",-22} {"searches/s",10} {"p50 ms",8} {"p99 ms",8} {"cells ×",8} {"server CPU ms",14} {"bench CPU ms",13}");
        foreach (var group in runs.GroupBy(r => r.Volunteers))
        {
            var cellRate = group.First().PerSecond;
            foreach (var run in group)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{run.Volunteers,10:N0} {run.System,-22} {run.PerSecond,10:0} {run.Latency.At(50),8:0.0} {run.Latency.At(99),8:0.0} " +
                    $"{(run == group.First() ? "" : (cellRate / run.PerSecond).ToString("0.0", CultureInfo.InvariantCulture)),8} " +
                    $"{run.MsPerSearch(run.Cpu is { } c ? c.Silo + c.Postgres + c.Redis : double.NaN),14:0.000} {run.MsPerSearch(run.Cpu?.Bench ?? double.NaN),13:0.000}"));
            }
        }
        var at100K = runs.Where(r => r.Volunteers == 100_000).ToList();
        if (at100K.Count == 4)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"target: cells ≥ 10 × plain SQL at 100,000: {at100K[0].PerSecond / at100K[1].PerSecond:0.0}× " +
                $"({(at100K[0].PerSecond >= 10 * at100K[1].PerSecond ? "met" : "NOT met")}); ahead of Redis: {at100K[0].PerSecond / at100K[3].PerSecond:0.0}× " +
                $"({(at100K[0].PerSecond > at100K[3].PerSecond ? "met" : "NOT met")})"));
        }
        var at1M = runs.FirstOrDefault(r => r.Volunteers == 1_000_000 && r.System == runs[0].System);
        if (at1M is not null && at100K.Count == 4)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"target: cells flat from 100,000 to 1,000,000: {at1M.PerSecond / at100K[0].PerSecond:P0} of the rate, p99 {at100K[0].Latency.At(99):0.0} → {at1M.Latency.At(99):0.0} ms"));
        }
    }
}
