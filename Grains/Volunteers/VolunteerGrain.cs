using Microsoft.Extensions.Options;
using Outreach.Dispatch;
using Outreach.Files;
using Outreach.Grains.Live;
using Outreach.Grains.Dispatch;
using Outreach.Live;
using Outreach.Model;
using Outreach.Stations;
using Outreach.Volunteers;
using Outreach.Cluster;

namespace Outreach.Grains.Volunteers;

/// <summary>Persisted state of a volunteer.</summary>
[GenerateSerializer, Alias("Outreach.VolunteerState")]
public sealed class VolunteerState
{
    [Id(0)] public VolunteerView? Volunteer { get; set; }

    /// <summary>Services completed within the fatigue window, by request: what the dispatch cell ranks by.</summary>
    [Id(1)] public Dictionary<Guid, ServiceCredit> RecentService { get; set; } = [];

    /// <summary>
    /// Stations whose rosters may still list this volunteer though it is no longer their home: a move stored before its
    /// rosters were told. Written with the move, cleared once the rosters are settled.
    /// </summary>
    [Id(2)] public Guid[]? RosterLeaving { get; set; }

    /// <summary>The rosters are not settled yet: the home station may not list this volunteer, a station left may.</summary>
    [Id(3)] public bool RosterOwed { get; set; }

    /// <summary>
    /// Dispatch cells that may still list this volunteer though they should not (they went off duty or moved cell, and
    /// the cell was not told yet): written with that change, so a retry, the next report or the next activation
    /// removes them; otherwise an off-duty volunteer would go on being offered requests.
    /// </summary>
    [Id(4)] public string[]? CellsOwed { get; set; }
}

/// <summary>
/// One volunteer: profile, duty status, last known position and the requests they carry. While on duty
/// with a known position they are listed in the dispatch cell that contains them; every move keeps that
/// entry current and tells the coordinators' maps.
/// </summary>
public sealed class VolunteerGrain(
    [PersistentState("volunteer", SiloSetup.StorageName)] IPersistentState<VolunteerState> state,
    IOptions<DispatchOptions> dispatch,
    LiveNodes live,
    TimeProvider clock)
    : Grain, IVolunteerGrain
{
    /// <summary>
    /// A position is written through at most this often unless the volunteer moved far or changed cell. Half the
    /// default freshness rule (10 min): a grain re-read after a crash still has a position dispatch may use, while a
    /// city's phones reporting every 20 s cost one write in 15 reports instead of one in 3 (the bench's city scenario).
    /// </summary>
    internal static readonly TimeSpan PositionWriteInterval = TimeSpan.FromMinutes(5);

    /// <summary>A move of more than this is written through at once.</summary>
    internal const double PositionWriteDistanceM = 100;

    /// <summary>A place held for a request lapses after this if the request never says it was stored.</summary>
    internal static readonly TimeSpan ReservationLapse = TimeSpan.FromSeconds(30);

    /// <summary>How often a volunteer who carries requests checks that they are still theirs.</summary>
    internal static readonly TimeSpan ReconcileEvery = TimeSpan.FromSeconds(30);

    /// <summary>A new activation (perhaps after its silo died mid-step) checks this soon after it starts.</summary>
    internal static readonly TimeSpan ReconcileAfterActivation = TimeSpan.FromSeconds(5);

    /// <summary>Places held for requests about to be claimed, until when.</summary>
    private readonly Dictionary<Guid, DateTimeOffset> _reservations = [];

    private VolunteerPosition? _lastWrittenPosition;
    private IGrainTimer? _reconciler;
    private IGrainTimer? _owedSettler;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _lastWrittenPosition = state.State.Volunteer?.LastPosition;
        if (state.State.Volunteer?.ActiveRequests is { Length: > 0 })
            StartReconciling(ReconcileAfterActivation);
        if (state.State.RosterOwed || state.State.CellsOwed is { Length: > 0 })
            SettleOwedSoon(ReconcileAfterActivation); // a change whose rosters or cells the last activation did not finish
        return Task.CompletedTask;
    }

    public Task<VolunteerView?> GetAsync() => Task.FromResult(state.State.Volunteer);

    public async Task<VolunteerView?> CreateAsync(VolunteerProfile profile)
    {
        if (state.State.Volunteer is { } existing)
        {
            // A create retried under the same idempotency key: the first may have stopped before the directory or roster.
            await ListAsync(existing);
            return null;
        }
        var now = clock.GetUtcNow();
        var view = new VolunteerView(this.GetPrimaryKey(), profile, OnDuty: false, LastPosition: null, now, now, [], 0);
        await WriteAsync(view);
        await ListAsync(view);
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
        // A move of station is stored with the rosters it owes, so a retry (or the next activation) finishes what a
        // failed roster call left: the retry sees the station unchanged and would otherwise tell no roster.
        var (oldStation, newStation) = (previous.Profile.HomeStationId, profile.HomeStationId);
        RosterDebt? debt = oldStation == newStation
            ? null
            : new([.. (state.State.RosterLeaving ?? []).Append(oldStation ?? Guid.Empty).Where(s => s != Guid.Empty && s != newStation).Distinct()]);
        await SaveAsync(view, debt);
        await SyncCellAsync(previous, view);
        if (previous.OnDuty != view.OnDuty)
            Publish(view);
        try
        {
            await SettleRosterAsync();
        }
        catch (Exception) when (state.State.RosterOwed)
        {
            SettleOwedSoon(ReconcileEvery); // settled even if the caller never retries
            throw;
        }
        return view;
    }

    public async Task<VolunteerView?> SetDutyAsync(bool onDuty)
    {
        if (state.State.Volunteer is not { } previous)
            return null;
        var view = previous with { OnDuty = onDuty && previous.Profile.Active, UpdatedAt = clock.GetUtcNow() };
        if (view.OnDuty == previous.OnDuty)
        {
            // A retry of a change stored before its cell was told: the cell hears it now.
            if (state.State.CellsOwed is { Length: > 0 })
                await SyncCellAsync(previous, previous);
            return previous;
        }
        await SaveAsync(view);
        await SyncCellAsync(previous, view);
        Publish(view);
        return view;
    }

    public async Task<VolunteerView?> SetSmsOffersAsync(bool enabled)
    {
        if (state.State.Volunteer is not { } previous)
            return null;
        if (previous.Profile.SmsOffers == enabled)
            return previous;
        var view = previous with { Profile = previous.Profile with { SmsOffers = enabled }, UpdatedAt = clock.GetUtcNow() };
        await SaveAsync(view);
        return view;
    }

    public async Task<VolunteerView?> ReportPositionAsync(GeoPoint position, double accuracyM)
    {
        if (state.State.Volunteer is not { } previous)
            return null;
        var now = clock.GetUtcNow();
        var fix = new VolunteerPosition(position, accuracyM, now);
        var view = previous with { LastPosition = fix, UpdatedAt = now };
        if (MustWrite(previous.LastPosition, fix))
            await WriteAsync(view);
        else
            state.State.Volunteer = view; // moves in between stay in memory by design
        await SyncCellAsync(previous, view);
        if (view.OnDuty)
            Publish(view);
        return view;
    }

    public async Task<Reservation> ReserveAsync(Guid requestId, bool force)
    {
        if (state.State.Volunteer is not { } volunteer)
            return new Reservation(null, HasRoom: false);
        var now = clock.GetUtcNow();
        if (!force && !HasRoomFor(requestId, now))
        {
            // Before saying no: are all the requests counted still ours? (A load left by a step that failed.)
            await ReconcileAsync();
            volunteer = state.State.Volunteer!;
            if (!HasRoomFor(requestId, now))
                return new Reservation(volunteer, HasRoom: false);
        }
        _reservations[requestId] = now + ReservationLapse;
        return new Reservation(volunteer, HasRoom: true);
    }

    public Task CancelReservationAsync(Guid requestId)
    {
        _reservations.Remove(requestId);
        return Task.CompletedTask;
    }

    public async Task TakeOnAsync(Guid requestId)
    {
        _reservations.Remove(requestId);
        if (state.State.Volunteer is not { } previous)
            return;
        var active = previous.ActiveRequests ?? [];
        if (active.Contains(requestId))
            return;
        var view = previous with { ActiveRequests = [.. active, requestId], UpdatedAt = clock.GetUtcNow() };
        await WriteAsync(view);
        await SyncCellAsync(previous, view);
        StartReconciling();
    }

    public async Task LetGoAsync(Guid requestId, bool completed, double servedMinutes = 0)
    {
        if (state.State.Volunteer is not { } previous || previous.ActiveRequests?.Contains(requestId) != true)
            return;
        var now = clock.GetUtcNow();
        var view = previous with
        {
            ActiveRequests = [.. previous.ActiveRequests.Where(r => r != requestId)],
            CompletedCount = previous.CompletedCount + (completed ? 1 : 0),
            UpdatedAt = now,
        };
        // The service counts for ranking while it is in the window; older ones are dropped here, on a write made anyway.
        var since = now - dispatch.Value.FatigueWindow;
        var recent = state.State.RecentService.Where(c => c.Value.At > since).ToDictionary();
        if (completed && servedMinutes > 0)
            recent[requestId] = new ServiceCredit(now, servedMinutes);
        await WriteAsync(view, recent);
        await SyncCellAsync(previous, view);
    }

    /// <summary>
    /// The requests are the truth about who carries them: drops every request this volunteer is counted as
    /// carrying that is not (or no longer) assigned to them, e.g. when a request's let-go never arrived.
    /// </summary>
    private async Task ReconcileAsync()
    {
        if (state.State.Volunteer is not { ActiveRequests.Length: > 0 } previous)
            return;
        var me = previous.Id;
        var assignees = await Task.WhenAll(previous.ActiveRequests.Select(id => GrainFactory.Get<IHelpRequestGrain>(id).GetAssigneeAsync()));
        var current = state.State.Volunteer!;
        var stale = previous.ActiveRequests.Where((_, i) => assignees[i] != me).ToHashSet();
        if (stale.Count == 0 || current.ActiveRequests is null)
            return;
        var view = current with { ActiveRequests = [.. current.ActiveRequests.Where(r => !stale.Contains(r))], UpdatedAt = clock.GetUtcNow() };
        await WriteAsync(view);
        await SyncCellAsync(current, view);
    }

    /// <summary>While the volunteer carries requests, checks them every <see cref="ReconcileEvery"/>.</summary>
    private void StartReconciling(TimeSpan? dueIn = null)
    {
        _reconciler ??= this.RegisterGrainTimer(async _ =>
        {
            await ReconcileAsync();
            if (state.State.Volunteer?.ActiveRequests is not { Length: > 0 })
            {
                _reconciler?.Dispose();
                _reconciler = null;
            }
        }, new GrainTimerCreationOptions(dueIn ?? ReconcileEvery, ReconcileEvery) { KeepAlive = false });
    }

    private bool HasRoomFor(Guid requestId, DateTimeOffset now)
    {
        foreach (var (id, lapse) in _reservations.Where(r => r.Value <= now).ToList())
            _reservations.Remove(id);
        var volunteer = state.State.Volunteer!;
        var active = volunteer.ActiveRequests ?? [];
        if (active.Contains(requestId) || _reservations.ContainsKey(requestId))
            return true; // its place is already taken or held
        var held = _reservations.Keys.Count(r => !active.Contains(r));
        return active.Length + held < volunteer.Profile.Capacity;
    }

    /// <summary>
    /// Stores the volunteer (and their recent service, and the rosters a move owes, when given); keeps the new state in
    /// memory only once it is stored.
    /// </summary>
    private async Task WriteAsync(VolunteerView view, Dictionary<Guid, ServiceCredit>? recentService = null, RosterDebt? roster = null)
    {
        var s = state.State;
        var (previous, previousRecent, previousLeaving, previousOwed, previousCells) = (s.Volunteer, s.RecentService, s.RosterLeaving, s.RosterOwed, s.CellsOwed);
        // A cell the volunteer leaves with this change is owed a removal until it is told (stored with the change).
        if (previous is not null && CellOf(previous) is { } leaving && leaving != CellOf(view))
            s.CellsOwed = [.. (previousCells ?? []).Append(leaving).Distinct()];
        s.Volunteer = view;
        s.RecentService = recentService ?? previousRecent;
        if (roster is not null)
            (s.RosterLeaving, s.RosterOwed) = (roster.Leaving.Length == 0 ? null : roster.Leaving, roster.Owed);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            (s.Volunteer, s.RecentService, s.RosterLeaving, s.RosterOwed, s.CellsOwed) = (previous, previousRecent, previousLeaving, previousOwed, previousCells);
            DeactivateOnIdle();
            throw;
        }
        _lastWrittenPosition = view.LastPosition;
    }

    /// <summary>What a stored move still owes the stations' rosters.</summary>
    private sealed record RosterDebt(Guid[] Leaving, bool Owed = true);

    /// <summary>
    /// Tells the rosters what the stored state owes them: the stations left drop this volunteer, the home station lists
    /// them (both idempotent); then stores that nothing is owed. A failure is thrown to the caller (503: a retry settles)
    /// and left for the retry or the next activation.
    /// </summary>
    private async Task SettleRosterAsync()
    {
        if (!state.State.RosterOwed || state.State.Volunteer is not { } volunteer)
            return;
        var home = volunteer.Profile.HomeStationId;
        foreach (var left in state.State.RosterLeaving ?? [])
            if (left != home)
                await GrainFactory.GetGrain<IStationGrain>(left).RemoveFromRosterAsync(volunteer.Id);
        if (home is { } station)
            await GrainFactory.GetGrain<IStationGrain>(station).AddToRosterAsync(volunteer.Id);
        await WriteAsync(state.State.Volunteer!, roster: new RosterDebt([], Owed: false));
    }

    /// <summary>Settles what a stored change still owes (rosters, cells) in a turn of its own after <paramref name="due"/>, then every <see cref="ReconcileEvery"/> until done.</summary>
    private void SettleOwedSoon(TimeSpan due)
    {
        _owedSettler ??= this.RegisterGrainTimer(async _ =>
        {
            try
            {
                await SettleRosterAsync();
                if (state.State is { CellsOwed.Length: > 0, Volunteer: { } volunteer })
                    await SyncCellAsync(volunteer, volunteer);
            }
            catch (Exception) when (state.State.RosterOwed || state.State.CellsOwed is { Length: > 0 })
            {
                return; // tried again at the next tick
            }
            _owedSettler?.Dispose();
            _owedSettler = null;
        }, new GrainTimerCreationOptions(due, ReconcileEvery) { KeepAlive = true });
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
        var oldKey = CellOf(previous);
        var newKey = CellOf(next);
        var owed = state.State.CellsOwed ?? [];
        foreach (var left in owed.Append(oldKey).Where(k => k is not null && k != newKey).Distinct())
            await GrainFactory.Get<IDispatchCellGrain>(left!).RemoveAsync(next.Id);
        if (newKey is not null)
            await GrainFactory.Get<IDispatchCellGrain>(newKey).UpsertAsync(ToCellEntry(next, state.State.RecentService.Values));
        if (owed.Length > 0 && ReferenceEquals(state.State.CellsOwed, owed))
            state.State.CellsOwed = null; // told; stored so with the next write (a stale list only repeats a removal)
    }

    /// <summary>The dispatch cell the volunteer belongs in: that of their position while on duty, none otherwise.</summary>
    private static string? CellOf(VolunteerView view) => Indexed(view) ? GeoGrid.KeyOf(view.LastPosition!.Position) : null;

    private static bool Indexed(VolunteerView view) => view.OnDuty && view.LastPosition is not null;

    internal static CellEntry ToCellEntry(VolunteerView view, IEnumerable<ServiceCredit> recentService)
    {
        ServiceCredit[] recent = [.. recentService.OrderBy(c => c.At)];
        return new(view.Id, view.Profile.Name, view.LastPosition!.Position, view.LastPosition.At, view.Profile.Skills,
            view.Profile.TravelMode, view.Profile.Capacity, view.ActiveRequests?.Length ?? 0, recent.Length == 0 ? null : recent);
    }

    /// <summary>Lists a stored volunteer in the directory and on their home station's roster (both idempotent).</summary>
    private async Task ListAsync(VolunteerView view)
    {
        await DirectoryOf(view).UpsertAsync(ToSummary(view));
        if (view.Profile.HomeStationId is { } station)
            await GrainFactory.GetGrain<IStationGrain>(station).AddToRosterAsync(view.Id);
    }

    private IDirectoryGrain<VolunteerSummary> DirectoryOf(VolunteerView view) =>
        GrainFactory.GetGrain<IDirectoryGrain<VolunteerSummary>>(DirectoryShards.Volunteers.KeyFor(view.Id));

    /// <summary>Queued for the live web nodes by this silo's <see cref="LiveNodes"/> (never waits; no grain call per report).</summary>
    private void Publish(VolunteerView view) =>
        live.Publish(LiveBatch.Of(new VolunteerChange(view.Id, view.Profile.Name, view.LastPosition?.Position, view.OnDuty, view.UpdatedAt)));

    private async Task SaveAsync(VolunteerView view, RosterDebt? roster = null)
    {
        await WriteAsync(view, roster: roster);
        await DirectoryOf(view).UpsertAsync(ToSummary(view));
    }

    internal static VolunteerSummary ToSummary(VolunteerView view) => new(
        view.Id, view.Profile.Name, view.Profile.Skills, view.Profile.TravelMode,
        view.Profile.HomeStationId, view.Profile.Active, view.OnDuty);
}
