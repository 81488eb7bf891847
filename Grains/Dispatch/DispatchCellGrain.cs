using Microsoft.Extensions.Options;
using Outreach.Dispatch;

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
/// </summary>
public sealed class DispatchCellGrain(
    [PersistentState("dispatchCell", "outreach")] IPersistentState<DispatchCellState> state,
    IOptions<DispatchOptions> options,
    TimeProvider clock)
    : Grain, IDispatchCellGrain
{
    private readonly CircleTest _circle = new(options.Value);

    public async Task UpsertAsync(CellEntry entry)
    {
        var entries = state.State.Entries;
        var structural = !entries.TryGetValue(entry.VolunteerId, out var previous)
            || previous.Capacity != entry.Capacity || previous.Load != entry.Load
            || previous.TravelMode != entry.TravelMode || previous.Name != entry.Name
            || !previous.Skills.AsSpan().SequenceEqual(entry.Skills);
        entries[entry.VolunteerId] = entry;
        if (structural)
            await state.WriteStateAsync();
    }

    public async Task RemoveAsync(Guid volunteerId)
    {
        if (state.State.Entries.Remove(volunteerId))
            await state.WriteStateAsync();
    }

    public Task<Candidate[]> FindCandidatesAsync(CandidateQuery query) =>
        Task.FromResult(_circle.Rank(state.State.Entries.Values, query, clock.GetUtcNow()));

    public Task<CellEntry[]> ListAsync() => Task.FromResult(state.State.Entries.Values.ToArray());
}
