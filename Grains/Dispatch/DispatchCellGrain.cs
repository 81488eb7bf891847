using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Outreach.Dispatch;
using Outreach.Grains.Storage;
using Outreach.Model;

namespace Outreach.Grains.Dispatch;

/// <summary>
/// The on-duty volunteers of one grid cell, in memory and one row each in the <see cref="ICellStore"/>.
/// Joining, leaving and changes of skills, capacity, load or recent service are written through (only the rows that changed);
/// a move inside the cell only updates memory (a restart then offers on the last written position until the
/// next report, and the freshness rule drops entries whose report is too old).
/// Reentrant with coalesced writes, so a crowd going on duty at once shares a few batches.
/// Entries are kept by skill, travel mode and a finer grid (<see cref="CellIndex"/>), so a request looks only at the
/// nearest volunteers who have its skill.
/// A row the database refuses fails only the calls that saved it; memory keeps serving offers, and the next
/// upsert of that volunteer writes the row again even if nothing in it changed.
/// Searches running in the same silo read the index in place (<see cref="LocalCells"/>): the grain writes it under
/// <see cref="_gate"/>, which they take to read; its own reads need no lock, since only its turns write. Those reads
/// are no calls, so the idle collector does not see them: a cell is kept a day without a call (a cell read only by
/// searches would otherwise be collected and reloaded from its rows, losing the moves inside it kept in memory).
/// </summary>
[Reentrant]
[CollectionAgeLimit(Hours = 24)]
public sealed class DispatchCellGrain(ICellStore store, IOptions<DispatchOptions> options, TimeProvider clock, LocalCells local,
    ILogger<DispatchCellGrain> log)
    : Grain, IDispatchCellGrain, ILocalCell
{
    private readonly ServiceCircle _circle = new(options.Value);
    private readonly CellIndex _index = new();
    private readonly Lock _gate = new();
    private ChangedRows<CellEntry>? _rows;

    private string Cell => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var entry in await store.LoadAsync(Cell, cancellationToken))
            _index.Put(entry);
        _rows = new ChangedRows<CellEntry>(_index.Entries, (upserts, removals) => store.SaveAsync(Cell, upserts, removals),
            owner: "cell " + Cell, log: log);
        local.Join(Cell, this);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        local.Leave(Cell, this);
        return Task.CompletedTask;
    }

    public Task UpsertAsync(CellEntry entry)
    {
        CellEntry? previous;
        lock (_gate)
            previous = _index.Put(entry);
        var structural = previous is null
            || previous.Capacity != entry.Capacity || previous.Load != entry.Load
            || previous.TravelMode != entry.TravelMode || previous.Name != entry.Name
            || !previous.Skills.AsSpan().SequenceEqual(entry.Skills)
            || !(previous.RecentService ?? []).AsSpan().SequenceEqual(entry.RecentService ?? [])
            || _rows!.IsUnsaved(entry.VolunteerId);
        return structural ? _rows!.SaveAsync(entry.VolunteerId) : Task.CompletedTask;
    }

    public Task RemoveAsync(Guid volunteerId)
    {
        CellEntry? removed;
        lock (_gate)
            removed = _index.Remove(volunteerId);
        if (removed is null)
            return _rows!.IsUnsaved(volunteerId) ? _rows.SaveAsync(volunteerId) : Task.CompletedTask;
        return _rows!.SaveAsync(volunteerId);
    }

    public Task<Candidate[]> FindCandidatesAsync(CandidateQuery query) =>
        Task.FromResult(_index.Find(_circle, query, clock.GetUtcNow()));

    /// <summary>The same search from outside the grain's turns (a search in this silo): under the lock the grain writes with.</summary>
    Candidate[] ILocalCell.FindCandidates(CandidateQuery query)
    {
        lock (_gate)
            return _index.Find(_circle, query, clock.GetUtcNow());
    }

    public Task<CellEntry[]> ListAsync() => Task.FromResult(_index.Entries.Values.ToArray());
}
