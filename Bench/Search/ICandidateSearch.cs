namespace Outreach.Bench.Search;

/// <summary>One system that answers the candidate search over the same population.</summary>
public interface ICandidateSearch : IAsyncDisposable
{
    /// <summary>The name printed in the results.</summary>
    string Name { get; }

    /// <summary>Adds volunteers (the population grows step by step; nothing is loaded twice).</summary>
    Task AddAsync(IReadOnlyList<SearchVolunteer> volunteers);

    /// <summary>A searcher for one worker of the closed loop (its own connection where the client has one per caller).</summary>
    Task<ISearcher> OpenAsync();
}

/// <summary>Runs searches one at a time.</summary>
public interface ISearcher : IAsyncDisposable
{
    /// <summary>The ids of the candidates, best first (ETA rounded to 0.01 min, then id), at most the rule's MaxOffers.</summary>
    Task<Guid[]> FindAsync(SearchQuery query);
}
