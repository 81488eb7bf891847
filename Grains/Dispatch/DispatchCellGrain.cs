using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Outreach.Dispatch;
using Outreach.Grains.Storage;

namespace Outreach.Grains.Dispatch;

/// <summary>Persisted state of a dispatch cell: its on-duty volunteers as last written.</summary>
[GenerateSerializer, Alias("Outreach.DispatchCellState")]
public sealed class DispatchCellState
{
    [Id(0)] public Dictionary<Guid, CellEntry> Entries { get; set; } = [];
}

/// <summary>
/// The on-duty volunteers of one grid cell. Joining, leaving and changes of skills, capacity or load are
/// written through; a move inside the cell only updates memory (a restart then offers on the last written
/// position until the next report, and the freshness rule drops entries whose report is too old).
/// Reentrant with coalesced writes, so a crowd going on duty at once costs a few writes of the cell.
/// </summary>
[Reentrant]
public sealed class DispatchCellGrain(
    [PersistentState("dispatchCell", "outreach")] IPersistentState<DispatchCellState> state,
    IOptions<DispatchOptions> options,
    TimeProvider clock)
    : Grain, IDispatchCellGrain
{
    private readonly CircleTest _circle = new(options.Value);
    private Dictionary<Guid, CellEntry> _entries = [];
    private CoalescedWriter? _writer;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _entries = state.State.Entries;
        _writer = new CoalescedWriter(() =>
        {
            state.State = new DispatchCellState { Entries = new Dictionary<Guid, CellEntry>(_entries) };
            return state.WriteStateAsync();
        });
        return Task.CompletedTask;
    }

    public Task UpsertAsync(CellEntry entry)
    {
        var entries = _entries;
        var structural = !entries.TryGetValue(entry.VolunteerId, out var previous)
            || previous.Capacity != entry.Capacity || previous.Load != entry.Load
            || previous.TravelMode != entry.TravelMode || previous.Name != entry.Name
            || !previous.Skills.AsSpan().SequenceEqual(entry.Skills);
        entries[entry.VolunteerId] = entry;
        return structural ? _writer!.WriteAsync() : Task.CompletedTask;
    }

    public Task RemoveAsync(Guid volunteerId) => _entries.Remove(volunteerId) ? _writer!.WriteAsync() : Task.CompletedTask;

    public Task<Candidate[]> FindCandidatesAsync(CandidateQuery query) =>
        Task.FromResult(_circle.Rank(_entries.Values, query, clock.GetUtcNow()));

    public Task<CellEntry[]> ListAsync() => Task.FromResult(_entries.Values.ToArray());
}
