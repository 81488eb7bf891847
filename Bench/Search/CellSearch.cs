using Outreach.Dispatch;

namespace Outreach.Bench.Search;

/// <summary>
/// The dispatch cells, through the path a request grain takes: one call from the bench's Orleans client to a
/// <see cref="ICandidateSearchGrain"/> in the silo, which asks the cells covering the circle at once and merges
/// their rankings (one network round trip per search, as for a database).
/// </summary>
public sealed class CellSearch(IGrainFactory grains, CircleRule rule) : ICandidateSearch
{
    private const int BatchSize = 2_000;

    public string Name => "dispatch cells";

    public async Task AddAsync(IReadOnlyList<SearchVolunteer> volunteers)
    {
        var entries = volunteers.Where(v => v.OnDuty).Select(v => v.ToCellEntry()).Chunk(BatchSize);
        await Parallel.ForEachAsync(entries, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (batch, _) => await grains.GetGrain<ICandidateSearchGrain>(0).IndexAsync(batch));
    }

    /// <summary>The Orleans client multiplexes its connection: every worker shares it.</summary>
    public Task<ISearcher> OpenAsync() => Task.FromResult<ISearcher>(new Searcher(grains.GetGrain<ICandidateSearchGrain>(0), rule));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class Searcher(ICandidateSearchGrain search, CircleRule rule) : ISearcher
    {
        public async Task<Guid[]> FindAsync(SearchQuery query)
        {
            var found = await search.FindAsync(new CandidateQuery(query.Position, query.Skill, rule.CircleMinutes, []));
            return [.. found.Select(c => c.VolunteerId)];
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
