using Outreach.Files;
using Outreach.Grains.Storage;
using Outreach.Stations;

namespace Outreach.Grains.Stations;

/// <summary>Persisted state of a station.</summary>
[GenerateSerializer, Alias("Outreach.StationState")]
public sealed class StationState
{
    [Id(0)] public StationInfo? Info { get; set; }

    [Id(1)] public HashSet<Guid> Roster { get; set; } = [];

    [Id(2)] public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// One station (驿站): position, service circle, kits and the roster of its home volunteers. Every change is
/// written before it is kept, answered or told to the directory (<see cref="StateCommit"/>).
/// </summary>
public sealed class StationGrain(
    [PersistentState("station", "outreach")] IPersistentState<StationState> state,
    TimeProvider clock)
    : Grain, IStationGrain
{
    public Task<StationView?> GetAsync() => Task.FromResult(View());

    public async Task<StationView?> CreateAsync(StationInfo info)
    {
        if (View() is { } existing)
        {
            // A create retried under the same idempotency key: the first may have stopped before the directory.
            await Directory(existing.Id).UpsertAsync(existing);
            return null;
        }
        return await SaveAsync(info);
    }

    public async Task<StationView?> UpdateAsync(StationInfo info)
    {
        if (state.State.Info is null)
            return null;
        return await SaveAsync(info);
    }

    public async Task AddToRosterAsync(Guid volunteerId)
    {
        if (!state.State.Roster.Contains(volunteerId))
            await SaveRosterAsync([.. state.State.Roster, volunteerId]);
    }

    public async Task RemoveFromRosterAsync(Guid volunteerId)
    {
        if (state.State.Roster.Contains(volunteerId))
            await SaveRosterAsync([.. state.State.Roster.Where(id => id != volunteerId)]);
    }

    private async Task SaveRosterAsync(HashSet<Guid> roster)
    {
        var current = state.State;
        await state.CommitAsync(new StationState { Info = current.Info, Roster = roster, UpdatedAt = current.UpdatedAt }, this);
        if (View() is { } view)
            await Directory(view.Id).UpsertAsync(view);
    }

    private IDirectoryGrain<StationView> Directory(Guid id) =>
        GrainFactory.GetGrain<IDirectoryGrain<StationView>>(DirectoryShards.Stations.KeyFor(id));

    private async Task<StationView> SaveAsync(StationInfo info)
    {
        var next = new StationState { Info = info, Roster = [.. state.State.Roster], UpdatedAt = clock.GetUtcNow() };
        await state.CommitAsync(next, this);
        var view = View()!;
        await Directory(view.Id).UpsertAsync(view);
        return view;
    }

    private StationView? View() => state.State.Info is { } info
        ? new StationView(this.GetPrimaryKey(), info, [.. state.State.Roster], state.State.UpdatedAt)
        : null;
}
