namespace Outreach.Dispatch;

/// <summary>
/// The candidate search a request runs (the cells its circle covers, each ranked, merged), as a stateless worker
/// on every silo, so it can be asked from outside a request: the bench's search scenario measures it. Key: 0.
/// </summary>
[Alias("Outreach.ICandidateSearchGrain")]
public interface ICandidateSearchGrain : IGrainWithIntegerKey
{
    /// <summary>The best candidates for the query (at most MaxOffers), ranked by ETA, exactly as a request finds them.</summary>
    [Alias("Find")]
    Task<Candidate[]> FindAsync(CandidateQuery query);

    /// <summary>The circle's rule as this silo is configured, so another search can apply the same one.</summary>
    [Alias("GetRule")]
    Task<CircleRule> GetRuleAsync();

    /// <summary>Lists each entry in the cell of its position (the upsert an on-duty volunteer's sync makes), all at once: bulk loading.</summary>
    [Alias("Index")]
    Task IndexAsync(CellEntry[] entries);
}
