using Outreach.Files;
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

/// <summary>One station (驿站): position, service circle, kits and the roster of its home volunteers.</summary>
public sealed class StationGrain(
    [PersistentState("station", "outreach")] IPersistentState<StationState> state,
    TimeProvider clock)
    : Grain, IStationGrain
{
    public Task<StationView?> GetAsync() => Task.FromResult(View());

    public async Task<StationView?> CreateAsync(StationInfo info)
    {
        if (state.State.Info is not null)
            return null;
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
        if (state.State.Roster.Add(volunteerId))
            await SaveRosterAsync();
    }

    public async Task RemoveFromRosterAsync(Guid volunteerId)
    {
        if (state.State.Roster.Remove(volunteerId))
            await SaveRosterAsync();
    }

    private async Task SaveRosterAsync()
    {
        await state.WriteStateAsync();
        if (View() is { } view)
            await Directory(view.Id).UpsertAsync(view);
    }

    private IDirectoryGrain<StationView> Directory(Guid id) =>
        GrainFactory.GetGrain<IDirectoryGrain<StationView>>(DirectoryShards.Stations.KeyFor(id));

    private async Task<StationView> SaveAsync(StationInfo info)
    {
        state.State.Info = info;
        state.State.UpdatedAt = clock.GetUtcNow();
        await state.WriteStateAsync();
        var view = View()!;
        await Directory(view.Id).UpsertAsync(view);
        return view;
    }

    private StationView? View() => state.State.Info is { } info
        ? new StationView(this.GetPrimaryKey(), info, [.. state.State.Roster], state.State.UpdatedAt)
        : null;
}
