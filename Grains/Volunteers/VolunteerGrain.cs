using Outreach.Dispatch;
using Outreach.Files;
using Outreach.Grains.Dispatch;
using Outreach.Live;
using Outreach.Model;
using Outreach.Stations;
using Outreach.Volunteers;

namespace Outreach.Grains.Volunteers;

/// <summary>Persisted state of a volunteer.</summary>
[GenerateSerializer, Alias("Outreach.VolunteerState")]
public sealed class VolunteerState
{
    [Id(0)] public VolunteerView? Volunteer { get; set; }
}

/// <summary>
/// One volunteer: profile, duty status, last known position and the requests they carry. While on duty
/// with a known position they are listed in the dispatch cell that contains them; every move keeps that
/// entry current and tells the coordinators' maps.
/// </summary>
public sealed class VolunteerGrain(
    [PersistentState("volunteer", "outreach")] IPersistentState<VolunteerState> state,
    TimeProvider clock)
    : Grain, IVolunteerGrain
{
    /// <summary>A position is written through at most this often unless the volunteer moved far or changed cell.</summary>
    internal static readonly TimeSpan PositionWriteInterval = TimeSpan.FromSeconds(60);

    /// <summary>A move of more than this is written through at once.</summary>
    internal const double PositionWriteDistanceM = 100;

    private VolunteerPosition? _lastWrittenPosition;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _lastWrittenPosition = state.State.Volunteer?.LastPosition;
        return Task.CompletedTask;
    }

    public Task<VolunteerView?> GetAsync() => Task.FromResult(state.State.Volunteer);

    public async Task<VolunteerView?> CreateAsync(VolunteerProfile profile)
    {
        if (state.State.Volunteer is not null)
            return null;
        var now = clock.GetUtcNow();
        var view = new VolunteerView(this.GetPrimaryKey(), profile, OnDuty: false, LastPosition: null, now, now, [], 0);
        await SaveAsync(view);
        if (profile.HomeStationId is { } station)
            await GrainFactory.GetGrain<IStationGrain>(station).AddToRosterAsync(view.Id);
        return view;
    }

    public async Task<VolunteerView?> UpdateProfileAsync(VolunteerProfile profile)
    {
        if (state.State.Volunteer is not { } previous)
            return null;
        var view = previous with
        {
            Profile = profile,
            OnDuty = previous.OnDuty && profile.Active,
            UpdatedAt = clock.GetUtcNow(),
        };
        await SaveAsync(view);
        await SyncCellAsync(previous, view);
        if (previous.OnDuty != view.OnDuty)
            Publish(view);
        var (oldStation, newStation) = (previous.Profile.HomeStationId, profile.HomeStationId);
        if (oldStation != newStation)
        {
            if (oldStation is { } old)
                await GrainFactory.GetGrain<IStationGrain>(old).RemoveFromRosterAsync(view.Id);
            if (newStation is { } added)
                await GrainFactory.GetGrain<IStationGrain>(added).AddToRosterAsync(view.Id);
        }
        return view;
    }

    public async Task<VolunteerView?> SetDutyAsync(bool onDuty)
    {
        if (state.State.Volunteer is not { } previous)
            return null;
        var view = previous with { OnDuty = onDuty && previous.Profile.Active, UpdatedAt = clock.GetUtcNow() };
        if (view.OnDuty == previous.OnDuty)
            return previous;
        await SaveAsync(view);
        await SyncCellAsync(previous, view);
        Publish(view);
        return view;
    }

    public async Task<VolunteerView?> ReportPositionAsync(GeoPoint position, double accuracyM)
    {
        if (state.State.Volunteer is not { } previous)
            return null;
        var now = clock.GetUtcNow();
        var fix = new VolunteerPosition(position, accuracyM, now);
        var view = previous with { LastPosition = fix, UpdatedAt = now };
        state.State.Volunteer = view;
        if (MustWrite(previous.LastPosition, fix))
        {
            await state.WriteStateAsync();
            _lastWrittenPosition = fix;
        }
        await SyncCellAsync(previous, view);
        if (view.OnDuty)
            Publish(view);
        return view;
    }

    public async Task<bool> TakeOnAsync(Guid requestId, bool force)
    {
        if (state.State.Volunteer is not { } previous)
            return false;
        var active = previous.ActiveRequests ?? [];
        if (active.Contains(requestId))
            return true;
        if (!force && active.Length >= previous.Profile.Capacity)
            return false;
        var view = previous with { ActiveRequests = [.. active, requestId], UpdatedAt = clock.GetUtcNow() };
        state.State.Volunteer = view;
        await state.WriteStateAsync();
        await SyncCellAsync(previous, view);
        return true;
    }

    public async Task LetGoAsync(Guid requestId, bool completed)
    {
        if (state.State.Volunteer is not { } previous || previous.ActiveRequests?.Contains(requestId) != true)
            return;
        var view = previous with
        {
            ActiveRequests = [.. previous.ActiveRequests.Where(r => r != requestId)],
            CompletedCount = previous.CompletedCount + (completed ? 1 : 0),
            UpdatedAt = clock.GetUtcNow(),
        };
        state.State.Volunteer = view;
        await state.WriteStateAsync();
        await SyncCellAsync(previous, view);
    }

    private bool MustWrite(VolunteerPosition? previous, VolunteerPosition next) =>
        _lastWrittenPosition is not { } written
        || previous is null
        || next.At - written.At >= PositionWriteInterval
        || GeoMath.DistanceM(written.Position, next.Position) > PositionWriteDistanceM
        || GeoGrid.KeyOf(written.Position) != GeoGrid.KeyOf(next.Position);

    /// <summary>Keeps the dispatch index in step: listed in the cell of the position while on duty, nowhere otherwise.</summary>
    private async Task SyncCellAsync(VolunteerView previous, VolunteerView next)
    {
        var oldKey = Indexed(previous) ? GeoGrid.KeyOf(previous.LastPosition!.Position) : null;
        var newKey = Indexed(next) ? GeoGrid.KeyOf(next.LastPosition!.Position) : null;
        if (oldKey is not null && oldKey != newKey)
            await GrainFactory.GetGrain<IDispatchCellGrain>(oldKey).RemoveAsync(next.Id);
        if (newKey is not null)
            await GrainFactory.GetGrain<IDispatchCellGrain>(newKey).UpsertAsync(ToCellEntry(next));
    }

    private static bool Indexed(VolunteerView view) => view.OnDuty && view.LastPosition is not null;

    internal static CellEntry ToCellEntry(VolunteerView view) => new(
        view.Id, view.Profile.Name, view.LastPosition!.Position, view.LastPosition.At, view.Profile.Skills,
        view.Profile.TravelMode, view.Profile.Capacity, view.ActiveRequests?.Length ?? 0);

    private void Publish(VolunteerView view) =>
        GrainFactory.GetGrain<ILiveNotifierGrain>(0).PublishAsync(LiveBatch.Of(
            new VolunteerChange(view.Id, view.Profile.Name, view.LastPosition?.Position, view.OnDuty, view.UpdatedAt))).Ignore();

    private async Task SaveAsync(VolunteerView view)
    {
        state.State.Volunteer = view;
        await state.WriteStateAsync();
        _lastWrittenPosition = view.LastPosition;
        await GrainFactory.GetGrain<IDirectoryGrain<VolunteerSummary>>(DirectoryShards.Volunteers.KeyFor(view.Id))
            .UpsertAsync(ToSummary(view));
    }

    internal static VolunteerSummary ToSummary(VolunteerView view) => new(
        view.Id, view.Profile.Name, view.Profile.Skills, view.Profile.TravelMode,
        view.Profile.HomeStationId, view.Profile.Active, view.OnDuty);
}
