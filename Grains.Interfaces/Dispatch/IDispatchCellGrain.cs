namespace Outreach.Dispatch;

/// <summary>
/// The on-duty volunteers inside one cell of a fixed latitude/longitude grid; key <c>geo/{row}/{column}</c>
/// (see <c>GeoGrid</c>). Requests ask only the cells their circle covers, so the cost of a search grows with
/// the volunteers near the request, not with all volunteers.
/// </summary>
[Alias("Outreach.IDispatchCellGrain")]
public interface IDispatchCellGrain : IGrainWithStringKey
{
    /// <summary>Adds the volunteer or refreshes their entry (position, skills, load).</summary>
    [Alias("Upsert")]
    Task UpsertAsync(CellEntry entry);

    /// <summary>Removes the volunteer (off duty, or moved to another cell).</summary>
    [Alias("Remove")]
    Task RemoveAsync(Guid volunteerId);

    /// <summary>The volunteers of this cell who pass the circle test for the query, ranked by ETA.</summary>
    [Alias("FindCandidates")]
    Task<Candidate[]> FindCandidatesAsync(CandidateQuery query);

    /// <summary>Every entry of the cell (for the live map).</summary>
    [Alias("List")]
    Task<CellEntry[]> ListAsync();
}
