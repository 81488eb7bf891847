using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Outreach.Dispatch;
using Outreach.Model;
using Outreach.Cluster;

namespace Outreach.Grains.Dispatch;

/// <summary>
/// The candidate search of <see cref="HelpRequestGrain"/> (cells covering the circle, asked at once, merged by
/// <see cref="ServiceCircle"/>), as a reentrant stateless worker: each call is one search, many run at once.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class CandidateSearchGrain(IOptions<DispatchOptions> options, LocalCells local) : Grain, ICandidateSearchGrain
{
    private readonly DispatchOptions _options = options.Value;

    public Task<Candidate[]> FindAsync(CandidateQuery query) => CellSearch.FindAsync(GrainFactory, local, _options, query);

    public Task IndexAsync(CellEntry[] entries) =>
        Task.WhenAll(entries.Select(e => GrainFactory.Get<IDispatchCellGrain>(GeoGrid.KeyOf(e.Position)).UpsertAsync(e)));

    public Task<CircleRule> GetRuleAsync() => Task.FromResult(new CircleRule(
        _options.CircleMinutes, _options.DetourFactor,
        [.. Enum.GetValues<TravelMode>().Select(_options.MetresPerSecond)],
        _options.PositionMaxAge, _options.MaxOffers));
}
