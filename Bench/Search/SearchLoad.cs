using System.Diagnostics;

namespace Outreach.Bench.Search;

/// <summary>What one system did in one measured phase.</summary>
public sealed record SearchRun(string System, int Volunteers, int Searches, double Seconds, Percentiles Latency, int Errors, double MeanCandidates,
    int AllSearches, SearchCpu? Cpu = null)
{
    public double PerSecond => Searches / Seconds;

    /// <summary>CPU milliseconds per search (over the warm-up and the measured window, every search done in them).</summary>
    public double MsPerSearch(double cpuSeconds) => AllSearches == 0 ? double.NaN : cpuSeconds * 1000 / AllSearches;
}

/// <summary>
/// A closed loop: <c>workers</c> callers, each with its own searcher, run searches back to back over the same list
/// of queries (a shared cursor); only searches that start and end inside the measured window count.
/// </summary>
public static class SearchLoad
{
    public static async Task<SearchRun> RunAsync(ICandidateSearch system, int volunteers, SearchQuery[] queries, int workers,
        TimeSpan warmup, TimeSpan duration)
    {
        var searchers = new ISearcher[workers];
        for (var i = 0; i < workers; i++)
            searchers[i] = await system.OpenAsync();
        var cursor = -1;
        var clock = Stopwatch.StartNew();
        var from = (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var to = from + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var latencies = new List<double>[workers];
        var errors = 0;
        var all = 0;
        long candidates = 0;
        try
        {
            await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
            {
                var mine = latencies[w] = new List<double>(100_000);
                while (clock.ElapsedTicks < to)
                {
                    var query = queries[(int)((uint)Interlocked.Increment(ref cursor) % (uint)queries.Length)];
                    var start = clock.ElapsedTicks;
                    try
                    {
                        var found = await searchers[w].FindAsync(query);
                        var end = clock.ElapsedTicks;
                        Interlocked.Increment(ref all);
                        if (start >= from && end <= to)
                        {
                            mine.Add(Percentiles.Ms(start, end));
                            Interlocked.Add(ref candidates, found.Length);
                        }
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        if (Interlocked.Increment(ref errors) <= 3)
                            Console.WriteLine($"    {system.Name}: search failed: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
                        await Task.Delay(100);
                    }
                }
            })));
        }
        finally
        {
            foreach (var searcher in searchers)
                await searcher.DisposeAsync();
        }
        var sample = new Percentiles(latencies.SelectMany(l => l));
        return new SearchRun(system.Name, volunteers, sample.Count, duration.TotalSeconds, sample, errors,
            sample.Count == 0 ? 0 : (double)candidates / sample.Count, all);
    }
}
