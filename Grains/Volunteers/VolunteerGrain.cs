using Outreach.Files;
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

/// <summary>One volunteer: profile, duty status and last known position.</summary>
public sealed class VolunteerGrain(
    [PersistentState("volunteer", "outreach")] IPersistentState<VolunteerState> state,
    TimeProvider clock)
    : Grain, IVolunteerGrain
{
    public Task<VolunteerView?> GetAsync() => Task.FromResult(state.State.Volunteer);

    public async Task<VolunteerView?> CreateAsync(VolunteerProfile profile)
    {
        if (state.State.Volunteer is not null)
            return null;
        var now = clock.GetUtcNow();
        var view = new VolunteerView(this.GetPrimaryKey(), profile, OnDuty: false, LastPosition: null, now, now);
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
        if (previous.OnDuty == onDuty)
            return previous;
        var view = previous with { OnDuty = onDuty && previous.Profile.Active, UpdatedAt = clock.GetUtcNow() };
        await SaveAsync(view);
        return view;
    }

    public async Task<VolunteerView?> ReportPositionAsync(GeoPoint position, double accuracyM)
    {
        if (state.State.Volunteer is not { } previous)
            return null;
        var now = clock.GetUtcNow();
        var view = previous with { LastPosition = new VolunteerPosition(position, accuracyM, now), UpdatedAt = now };
        state.State.Volunteer = view;
        await state.WriteStateAsync();
        return view;
    }

    private async Task SaveAsync(VolunteerView view)
    {
        state.State.Volunteer = view;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IDirectoryGrain<VolunteerSummary>>(DirectoryShards.Volunteers.KeyFor(view.Id))
            .UpsertAsync(ToSummary(view));
    }

    internal static VolunteerSummary ToSummary(VolunteerView view) => new(
        view.Id, view.Profile.Name, view.Profile.Skills, view.Profile.TravelMode,
        view.Profile.HomeStationId, view.Profile.Active, view.OnDuty);
}
