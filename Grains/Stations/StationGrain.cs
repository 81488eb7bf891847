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

    /// <summary>The group's robots with their secrets (null in a state stored before robots existed).</summary>
    [Id(3)] public RobotSetting[]? Robots { get; set; } = [];
}

/// <summary>
/// One station (驿站): position, service circle, kits, the roster of its home volunteers and its group's robots.
/// Every change is written before it is kept, answered or told to the directory (<see cref="StateCommit"/>). The
/// robots' secrets stay in the state: views (and so the directory) say only whether one is stored.
/// </summary>
public sealed class StationGrain(
    [PersistentState("station", SiloSetup.StorageName)] IPersistentState<StationState> state,
    TimeProvider clock)
    : Grain, IStationGrain, IStationRobotsGrain
{
    public Task<StationView?> GetAsync() => Task.FromResult(View());

    public Task<StationRobots?> GetRobotsAsync() => Task.FromResult(state.State.Info is { } info
        ? new StationRobots(info.Name, state.State.Robots ?? [])
        : null);

    public async Task<StationView?> CreateAsync(StationInfo info, RobotSetting[]? robots = null)
    {
        if (View() is { } existing)
        {
            // A create retried under the same idempotency key: the first may have stopped before the directory.
            await Directory(existing.Id).UpsertAsync(existing);
            return null;
        }
        return await SaveAsync(info, StationRobotsMerge.Merge([], robots ?? []));
    }

    public async Task<StationView?> UpdateAsync(StationInfo info, RobotSetting[]? robots = null)
    {
        if (state.State.Info is null)
            return null;
        var stored = state.State.Robots ?? [];
        return await SaveAsync(info, robots is null ? stored : StationRobotsMerge.Merge(stored, robots));
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
        await state.CommitAsync(new StationState { Info = current.Info, Roster = roster, UpdatedAt = current.UpdatedAt, Robots = current.Robots }, this);
        if (View() is { } view)
            await Directory(view.Id).UpsertAsync(view);
    }

    private IDirectoryGrain<StationView> Directory(Guid id) =>
        GrainFactory.GetGrain<IDirectoryGrain<StationView>>(DirectoryShards.Stations.KeyFor(id));

    private async Task<StationView> SaveAsync(StationInfo info, RobotSetting[] robots)
    {
        var next = new StationState { Info = info, Roster = [.. state.State.Roster], UpdatedAt = clock.GetUtcNow(), Robots = robots };
        await state.CommitAsync(next, this);
        var view = View()!;
        await Directory(view.Id).UpsertAsync(view);
        return view;
    }

    private StationView? View() => state.State.Info is { } info
        ? new StationView(this.GetPrimaryKey(), info, [.. state.State.Roster], state.State.UpdatedAt,
            [.. (state.State.Robots ?? []).Select(r => new StationRobot(r.Kind, r.Url, !string.IsNullOrEmpty(r.Secret)))])
        : null;
}
