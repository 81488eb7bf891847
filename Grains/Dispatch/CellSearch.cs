using Outreach.Dispatch;
using Outreach.Model;

namespace Outreach.Grains.Dispatch;

/// <summary>
/// The candidate search: the dispatch cells covering the circle are asked at once, and their ranked answers merged
/// by <see cref="ServiceCircle"/>. Used by the request grain and by the search grain the benchmark measures.
/// </summary>
public static class CellSearch
{
    public static async Task<Candidate[]> FindAsync(IGrainFactory grains, DispatchOptions options, CandidateQuery query)
    {
        var cells = GeoGrid.KeysCovering(query.Position, new ServiceCircle(options).ReachM(query.CircleMinutes));
        var found = await Task.WhenAll(cells.Select(key => grains.GetGrain<IDispatchCellGrain>(key).FindCandidatesAsync(query)));
        return ServiceCircle.Merge(found, options.MaxOffers);
    }
}
