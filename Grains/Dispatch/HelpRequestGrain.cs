using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using Outreach.Dispatch;
using Outreach.Cluster;
using Outreach.Grains.Reach;
using Outreach.Files;
using Outreach.Grains.Live;
using Outreach.Live;
using Outreach.Model;
using Outreach.Reach;
using Outreach.Stations;
using Outreach.Grains.Telemetry;
using Outreach.Volunteers;

namespace Outreach.Grains.Dispatch;

/// <summary>
/// One help request, start to end: a thin shell over <see cref="HelpRequest"/>. Commands are decided one at a time
/// (the grain is not reentrant, and claims — which interleave — take the same turn, <see cref="_turn"/>), so the first
/// claim decided is the one that wins; once it is decided, the other claims of the race are refused at once, without
/// waiting for the winner's write (<see cref="HelpRequest.RefuseClaimAtOnce"/>). For each command the grain
/// gathers the facts the model asks for, stores the next state (with its ledger row — the deadline the
/// <see cref="DeadlineSweeper"/> reads among its columns — and open offers, in one statement) and only after that succeeds keeps it
/// in memory and carries out the effects: offers, withdrawals, the volunteers' loads. A failed write leaves the
/// activation as storage has it (it deactivates) and the caller sees the error, which a retry can cure.
/// </summary>
public sealed class HelpRequestGrain(
    RequestStore store,
    RequestMetrics metrics,
    IOptions<DispatchOptions> options,
    IOptions<CareOptions> care,
    LiveNodes live,
    LocalCells cells,
    TimeProvider clock,
    ILogger<HelpRequestGrain> log)
    : Grain, IHelpRequestGrain, IRemindable, IDisposable
{
    /// <summary>The reminder each open request had before its deadline was swept from its row (<see cref="DeadlineSweeper"/>).</summary>
    internal const string LegacyDeadlineReminder = "deadline";

    /// <summary>Orleans' storage name and state name of requests stored before migration 0009.</summary>
    private const string LegacyStorage = SiloSetup.StorageName;
    private const string LegacyStateName = "helpRequest";

    /// <summary>How often effects that failed (a volunteer's load) are tried again while the activation lives.</summary>
    private static readonly TimeSpan SettleRetry = TimeSpan.FromSeconds(5);

    private readonly DispatchOptions _options = options.Value;
    private readonly HelpRequest _model = new(options.Value, care.Value);
    /// <summary>Let-go not yet confirmed by the volunteer grain: volunteer → counts as completed service.</summary>
    private readonly Dictionary<Guid, bool> _owedLetGo = [];

    /// <summary>The assignee whose take-on is not yet confirmed by their grain.</summary>
    private Guid? _owedTakeOn;
    private HelpRequestState _state = new();
    private long? _etag;
    private IGrainTimer? _settleTimer;

    /// <summary>
    /// Whether <see cref="_state"/> is the stored row as this activation knows it: read (<see cref="LoadedAsync"/>),
    /// written by it, or assumed absent by an intake (<see cref="_assumedNew"/>). Read lazily, not on activation: a new
    /// request's first call is its intake, whose id was never stored, so it is written without reading a row first.
    /// </summary>
    private bool _known;

    /// <summary>The read of the stored row under way, shared by the calls that wait for it.</summary>
    private Task? _loading;

    /// <summary>
    /// The intake decided on an empty state without reading the row: its write inserts only. If the row was there after
    /// all (an intake sent again to a new activation), the write changes nothing, and the row is read and the intake
    /// decided again on what is stored.
    /// </summary>
    private bool _assumedNew;

    /// <summary>
    /// The turn every command is decided, stored and carried out in. The Orleans turn already serialises all but the
    /// claims, which interleave so that a race's losers are answered while the winner's write is under way.
    /// </summary>
    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>The volunteer whose claim was decided and is being stored: every other claim is refused at once.</summary>
    private Guid? _claiming;

    /// <summary>
    /// The volunteers told "already taken" while <see cref="_claiming"/>'s write was out: if that write fails, they hear
    /// the offer again (the request may still wait for them).
    /// </summary>
    private readonly HashSet<Guid> _refusedWhileStoring = [];

    /// <summary>Completed (and replaced) when the turn is free again or a claim is being stored: waiting claims look again.</summary>
    private TaskCompletionSource _turnChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Guid Id => this.GetPrimaryKey();

    /// <summary>
    /// The stored row, read once per activation (or again after an intake's assumption failed); calls that come while
    /// it is read share the read, and a read that failed is tried again by the next call.
    /// </summary>
    private Task LoadedAsync()
    {
        if (_known)
            return Task.CompletedTask;
        if (!IsLoading)
            _loading = LoadOnceAsync();
        return _loading!;
    }

    private bool IsLoading => _loading is { IsCompleted: false };

    /// <summary>
    /// For the calls that interleave with the turn (a claim, the assignee): while an intake decides on the empty state it
    /// assumed, that state is not what is stored, so they wait until the intake has stored it or found the row.
    /// </summary>
    private async Task StoredStateAsync()
    {
        while (_assumedNew)
            await _turnChanged.Task;
        await LoadedAsync();
    }

    private async Task LoadOnceAsync()
    {
        var stored = await store.LoadAsync(Id);
        _state = stored.State ?? (stored.Legacy ? await ReadLegacyAsync() : new HelpRequestState());
        _etag = stored.ETag;
        _known = true;
        // Whatever the last activation may not have finished: the assignee carries the request.
        if (_state.Request is not null && !_state.IsClosed && Lifecycle.IsAssigned(_state.Status))
        {
            _owedTakeOn = _state.AssignedVolunteerId;
            SettleSoon(TimeSpan.Zero);
        }
    }

    public async Task<SubmitResult> SubmitAsync(NewHelpRequest request, Actor actor, AuditLine? audit = null)
    {
        if (!_known && !IsLoading)
        {
            // A new activation's first call is an intake: its id is almost always new, so it is written insert-only
            // instead of reading a row that is not there (one statement fewer per request).
            (_state, _etag, _known, _assumedNew) = (new HelpRequestState(), null, true, true);
        }
        var (decision, _) = await RunAsync(new SubmitCommand(actor, request), audit);
        return new SubmitResult(View(), Created: decision.Next is not null);
    }

    public async Task<HelpRequestView?> GetAsync()
    {
        await LoadedAsync();
        return _state.Request is null ? null : View();
    }

    public async Task<Guid?> GetAssigneeAsync()
    {
        await StoredStateAsync();
        return _state.Request is not null && Lifecycle.IsAssigned(_state.Status) ? _state.AssignedVolunteerId : null;
    }

    public async Task<OfferView?> GetOfferAsync(Guid volunteerId)
    {
        await LoadedAsync();
        return _state.Status == RequestStatus.Offered && _state.Offers.ContainsKey(volunteerId)
            ? HelpRequestViews.ToOffer(Id, _state, volunteerId)
            : null;
    }

    public async Task<TimelineEntry[]> GetTimelineAsync()
    {
        await LoadedAsync();
        return [.. _state.Timeline];
    }

    public async Task<Candidate[]> GetCandidatesAsync()
    {
        await LoadedAsync();
        if (_state.Request is not { } request || _state.IsClosed)
            return [];
        var circle = Math.Max(_state.CircleMinutes, _options.WidenedCircleMinutes);
        return await FindCandidatesAsync(new CandidateQuery(request.Position, request.Category, circle, [.. _state.Excluded], true));
    }

    /// <summary>
    /// Interleaves with the call under way (see the interface): a claim the model can refuse on the stored state and the
    /// claim being stored is answered at once; one that may win waits for the turn and is decided in it.
    /// </summary>
    public async Task<DispatchResult> ClaimAsync(Actor volunteer, AuditLine? read = null)
    {
        await StoredStateAsync();
        var command = new ClaimCommand(volunteer);
        var volunteerId = volunteer.VolunteerId ?? Guid.Empty;
        while (true)
        {
            if (HelpRequest.RefuseClaimAtOnce(_state, volunteerId, _claiming) is { } refusal)
            {
                if (_claiming is not null && refusal.Outcome == DispatchOutcome.AlreadyTaken && !Lifecycle.IsAssigned(_state.Status))
                    _refusedWhileStoring.Add(volunteerId);
                metrics.Refused(command, refusal);
                return DispatchResult.Refused(refusal.Outcome, refusal.Detail, _state.Status);
            }
            if (_turn.CurrentCount > 0)
                return await AnswerAsync(command, read); // takes the turn at once: nothing runs between the check and the take
            await _turnChanged.Task;
        }
    }

    public Task<DispatchResult> AdvanceAsync(Actor volunteer, RequestStatus to, string? note) =>
        AnswerAsync(new AdvanceCommand(volunteer, to, note));

    public Task<DispatchResult> ReleaseAsync(Actor volunteer, string reason) => AnswerAsync(new ReleaseCommand(volunteer, reason));

    public Task<DispatchResult> AssignAsync(Actor coordinator, Guid volunteerId, bool force, string? note) =>
        AnswerAsync(new AssignCommand(coordinator, volunteerId, force, note));

    public Task<DispatchResult> CancelAsync(Actor actor, string reason) => AnswerAsync(new CancelCommand(actor, reason));

    public Task<DispatchResult> FollowUpAsync(Actor actor, bool satisfied, int rating, string? note) =>
        AnswerAsync(new FollowUpCommand(actor, satisfied, rating, note));

    public Task<DispatchResult> ReofferAsync(Actor coordinator, string? note) => AnswerAsync(new ReofferCommand(coordinator, note));

    public Task<DispatchResult> AddNoteAsync(Actor actor, string note) => AnswerAsync(new NoteCommand(actor, note));

    public Task DeadlineDueAsync() => RunAsync(new DeadlineCommand());

    /// <summary>
    /// A request stored before deadlines were swept from the rows has a deadline reminder: it passes the deadline as the
    /// sweeper would, then goes — the row's deadline is enough from then on.
    /// </summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != LegacyDeadlineReminder)
            return;
        await DeadlineDueAsync();
        await TryDropReminderAsync(reminderName);
    }

    /// <summary>The command's outcome; <paramref name="read"/>: the caller's read of the answer, audited with the command's write if it makes one.</summary>
    private async Task<DispatchResult> AnswerAsync(RequestCommand command, AuditLine? read = null)
    {
        var (decision, refusal) = await RunAsync(command, read);
        return refusal is null
            ? new DispatchResult(DispatchOutcome.Ok, null, View(), ReadAudited: read is not null && decision.Next is not null)
            : DispatchResult.Refused(refusal.Outcome, refusal.Detail, _state.Request is null ? null : _state.Status);
    }

    /// <summary>
    /// Decides the command, stores the next state, and only then keeps it and carries out its effects;
    /// <paramref name="audit"/>: the audit row written in the same statement as the next state (none if the command
    /// stores nothing: a refusal or a repeat) — an intake's creation, a claim winner's read of the whole request.
    /// </summary>
    private async Task<(Decision Decision, Refusal? Refusal)> RunAsync(RequestCommand command, AuditLine? audit = null)
    {
        await _turn.WaitAsync();
        try
        {
            await LoadedAsync();
            return await RunInTurnAsync(command, audit);
        }
        catch when (_assumedNew)
        {
            // An intake that failed on its assumption (no row), before or in its write: the next call reads the row.
            (_known, _assumedNew) = (false, false);
            throw;
        }
        finally
        {
            _turn.Release();
            TurnChanged();
        }
    }

    /// <summary>Wakes the claims waiting for the turn, to look again.</summary>
    private void TurnChanged()
    {
        var changed = _turnChanged;
        _turnChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    private async Task<(Decision Decision, Refusal? Refusal)> RunInTurnAsync(RequestCommand command, AuditLine? audit = null)
    {
        using var span = RequestMetrics.Start(Id, command);
        var started = clock.GetTimestamp();
        var facts = new RequestFacts(clock.GetUtcNow());
        Guid? reserved = null;
        var decision = _model.Decide(_state, command, facts);
        for (var round = 0; decision.Needs is { } needs; round++)
        {
            if (round == 3)
                throw new InvalidOperationException($"The request model kept asking for facts for {command.GetType().Name}.");
            // A call to a grain on a silo that just died is refused until the cluster declares it dead: wait that out.
            var known = facts;
            facts = await ClusterRetry.RunAsync(() => GatherAsync(needs, known), clock);
            if (facts.Volunteer is { Profile: not null, HasRoom: true } volunteer)
                reserved = volunteer.VolunteerId;
            decision = _model.Decide(_state, command, facts);
        }

        if (_assumedNew && decision.Next is null)
            return await DecideOnStoredAsync(command, audit); // only a stored row can tell what a submit that stores nothing should answer

        if (decision.Refusal is { } refusal)
        {
            metrics.Refused(command, refusal);
            await CancelReservationAsync(reserved);
            return (decision, refusal);
        }
        if (decision.Next is not { } next)
        {
            await CarryOutAsync(decision.Effects);
            return (decision, null);
        }

        SavedRequest? saved;
        try
        {
            if (command is ClaimCommand && Lifecycle.IsAssigned(next.Status))
            {
                // Decided: the race's other claims hear "taken" now; the winner hears it once it is stored.
                _claiming = next.AssignedVolunteerId;
                TurnChanged();
            }
            // One write: the state, its ledger columns (the deadline among them, which the sweeper reads) and its offers.
            // The command's audit row goes in the same statement: the change is never stored without it.
            saved = await store.SaveAsync(Id, _state, next, _etag, insertOnly: _assumedNew, audit);
        }
        catch (Exception e)
        {
            _claiming = null;
            Guid[] refused = [.. _refusedWhileStoring];
            _refusedWhileStoring.Clear();
            await CancelReservationAsync(reserved);
            // Whether the row was written is unknown (the answer may have been lost): let the next call read it anew.
            DeactivateOnIdle();
            log.LogWarning("Request {RequestId}: {Command} not stored ({Reason})", Id, command.GetType().Name, e.Message);
            await OfferAgainAsync(refused);
            throw;
        }
        if (saved is null)
            return await DecideOnStoredAsync(command, audit); // the intake was stored before: nothing was written now
        (_etag, _assumedNew) = (saved.ETag, false);
        _refusedWhileStoring.Clear();
        metrics.Stored(command, _state, next, decision.Effects, clock.GetElapsedTime(started));
        var created = _state.Request is null;
        _state = next;
        _claiming = null;
        // A claim's winner hears it once the request is stored; their volunteer grain takes it on right after the
        // answer (the reservation holds the place meanwhile), so the race is answered without a second write.
        await CarryOutAsync(decision.Effects, created, settleAfterAnswer: command is ClaimCommand, saved);
        return (decision, null);
    }

    /// <summary>
    /// An intake decided on an assumed empty state that cannot stand on it (its insert found the row, or it would store
    /// nothing): the row is read and the command decided again on what is stored (a repeat: the request as stored).
    /// </summary>
    private async Task<(Decision Decision, Refusal? Refusal)> DecideOnStoredAsync(RequestCommand command, AuditLine? audit)
    {
        (_known, _assumedNew) = (false, false);
        await LoadedAsync();
        return await RunInTurnAsync(command, audit);
    }

    private async Task<RequestFacts> GatherAsync(FactsNeeded needs, RequestFacts facts)
    {
        var candidates = needs.Candidates is { } query ? FindCandidatesAsync(query) : null;
        var station = needs.StationFor is { } place ? ChooseStationAsync(place) : null;
        if (needs.Volunteer is { } volunteerId)
        {
            var reservation = await GrainFactory.Get<IVolunteerGrain>(volunteerId).ReserveAsync(Id, needs.Force);
            facts = facts with { Volunteer = new VolunteerFacts(volunteerId, reservation.Volunteer, reservation.HasRoom) };
        }
        if (needs.PairedOf is not null || needs.Preferred is not null)
            facts = facts with { Paired = await PairedHelpersAsync(needs.PairedOf, needs.Preferred) };
        if (candidates is not null)
            facts = facts with { Candidates = await candidates };
        if (station is not null)
            facts = facts with { StationKnown = true, StationId = await station };
        return facts;
    }

    /// <summary>
    /// Carries out a stored decision's effects (or, for a repeat, the standing ones again); one that
    /// fails is tried again and never fails the answer.
    /// </summary>
    private async Task CarryOutAsync(RequestEffects effects, bool created = false, bool settleAfterAnswer = false, SavedRequest? saved = null)
    {
        if (effects.IsEmpty || _state.Request is null)
            return;
        Publish(effects, first: created, saved);
        foreach (var letGo in effects.LetGo)
            _owedLetGo[letGo.VolunteerId] = letGo.Completed || _owedLetGo.GetValueOrDefault(letGo.VolunteerId);
        if (effects.TakeOn is { } takeOn)
        {
            _owedTakeOn = takeOn;
            _owedLetGo.Remove(takeOn);
        }
        if (settleAfterAnswer)
            SettleSoon(TimeSpan.Zero);
        else if (!await SettleVolunteersAsync())
            SettleSoon(SettleRetry);
    }

    /// <summary>
    /// Tells the volunteers what the stored state owes them: the assignee carries the request, those let go do not.
    /// Only what the current state still implies is sent (a take-on owed from a claim is dropped once the request
    /// is completed), so a retry never undoes a later step. True when nothing is owed any more.
    /// </summary>
    private async Task<bool> SettleVolunteersAsync()
    {
        var assignee = _state.Request is not null && !_state.IsClosed && Lifecycle.IsAssigned(_state.Status) ? _state.AssignedVolunteerId : null;
        if (_owedTakeOn is { } owed && owed != assignee)
            _owedTakeOn = null;
        if (assignee is { } carrying)
            _owedLetGo.Remove(carrying);
        try
        {
            if (_owedTakeOn is { } taker)
            {
                await GrainFactory.Get<IVolunteerGrain>(taker).TakeOnAsync(Id);
                _owedTakeOn = null;
            }
            foreach (var (volunteer, completed) in _owedLetGo.ToArray())
            {
                await GrainFactory.Get<IVolunteerGrain>(volunteer).LetGoAsync(Id, completed, completed ? ServedMinutes(volunteer) : 0);
                _owedLetGo.Remove(volunteer);
            }
            return true;
        }
        catch (Exception e)
        {
            log.LogWarning("Request {RequestId}: volunteers' loads not updated yet ({Reason}); trying again", Id, e.Message);
            return false;
        }
    }

    /// <summary>Settles the volunteers' loads in a turn of their own after <paramref name="due"/>, then every <see cref="SettleRetry"/> until done.</summary>
    private void SettleSoon(TimeSpan due)
    {
        if (_settleTimer is null)
            _settleTimer = this.RegisterGrainTimer(SettleAsync, new GrainTimerCreationOptions(due, SettleRetry) { KeepAlive = true });
        else if (due == TimeSpan.Zero)
            _settleTimer.Change(due, SettleRetry);
    }

    /// <summary>The minutes <paramref name="volunteer"/>'s latest service of this request counts (for fatigue-aware ranking).</summary>
    private double ServedMinutes(Guid volunteer) =>
        _state.Services.LastOrDefault(s => s.VolunteerId == volunteer) is { } service ? Math.Max(0, service.Minutes) : 0;

    private async Task SettleAsync(CancellationToken cancellationToken)
    {
        // In the turn: a claim interleaving with this timer must not settle the same loads at the same time.
        await _turn.WaitAsync(cancellationToken);
        try
        {
            if (await SettleVolunteersAsync())
            {
                _settleTimer?.Dispose();
                _settleTimer = null;
            }
        }
        finally
        {
            _turn.Release();
            TurnChanged();
        }
    }

    /// <summary>
    /// The volunteers paired with the family (and the helper a care plan prefers, first), as they are now, and which of
    /// those off duty a push device reaches (the reach ladder pushes the offer to them). A push lookup that fails counts
    /// as no device: the circle gets it at once.
    /// </summary>
    private async Task<PairedHelperFacts[]> PairedHelpersAsync(Guid? family, Guid? preferred)
    {
        var file = family is { } worker ? await GrainFactory.GetGrain<IFamilyFileGrain>(worker).GetAsync() : null;
        Guid[] ids = [.. new[] { preferred }.OfType<Guid>().Concat(file?.Data.PairedVolunteerIds ?? []).Distinct()];
        if (ids.Length == 0)
            return [];
        var views = await Task.WhenAll(ids.Select(id => GrainFactory.Get<IVolunteerGrain>(id).GetAsync()));
        Guid[] offDuty = [.. views.OfType<VolunteerView>().Where(v => !v.OnDuty).Select(v => v.Id)];
        IReadOnlySet<Guid> withDevices = new HashSet<Guid>();
        if (offDuty.Length > 0 && ServiceProvider.GetService<IPushChannel>() is { } push)
        {
            try
            {
                withDevices = await push.WithDevicesAsync(offDuty, CancellationToken.None);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("Request {RequestId}: paired helpers' push devices not looked up ({Reason})", Id, e.GetType().Name);
            }
        }
        return [.. ids.Zip(views, (id, view) => new PairedHelperFacts(id, view, withDevices.Contains(id)))];
    }

    private async Task CancelReservationAsync(Guid? volunteer)
    {
        if (volunteer is not { } id)
            return;
        try
        {
            await GrainFactory.Get<IVolunteerGrain>(id).CancelReservationAsync(Id);
        }
        catch (Exception e)
        {
            // The reservation lapses on its own.
            log.LogWarning("Request {RequestId}: reservation not cancelled ({Reason})", Id, e.Message);
        }
    }

    /// <summary>Drops a reminder registered before deadlines were swept from the rows; if that fails it fires again and is dropped then.</summary>
    private async Task TryDropReminderAsync(string name)
    {
        try
        {
            if (await this.GetReminder(name) is { } reminder)
                await this.UnregisterReminder(reminder);
        }
        catch (Exception e)
        {
            log.LogWarning("Request {RequestId}: old deadline reminder not dropped yet ({Reason})", Id, e.Message);
        }
    }

    private async Task<HelpRequestState> ReadLegacyAsync()
    {
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(LegacyStorage);
        var legacy = new GrainState<HelpRequestState>(new HelpRequestState());
        await storage.ReadStateAsync(LegacyStateName, this.GetGrainId(), legacy);
        return legacy.State ?? new HelpRequestState();
    }

    private Task<Candidate[]> FindCandidatesAsync(CandidateQuery query) => CellSearch.FindAsync(GrainFactory, cells, _options, query);

    /// <summary>The station whose circle contains the place (the nearest such), else the nearest station.</summary>
    private async Task<Guid?> ChooseStationAsync(GeoPoint place)
    {
        var stations = await GrainFactory.ListDirectoryAsync<StationView>(DirectoryShards.Stations);
        var ranked = stations
            .Select(s => (s.Id, Distance: GeoMath.DistanceM(s.Info.Position, place), s.Info.CircleRadiusM))
            .OrderBy(s => s.Distance > s.CircleRadiusM)
            .ThenBy(s => s.Distance)
            .ToList();
        return ranked.Count == 0 ? null : ranked[0].Id;
    }

    /// <summary>
    /// Tells the live pages and the reach grain; <paramref name="first"/>: the effects of the change that created the
    /// request, just stored; <paramref name="saved"/>: that write, which read the push devices of the volunteers it offered.
    /// </summary>
    private void Publish(RequestEffects effects, bool first, SavedRequest? saved = null)
    {
        OfferRound[] offers = HelpRequestViews.ToRounds(Id, _state, effects.Offer);
        OfferWithdrawal[] withdrawals = effects.Withdraw.Length == 0 ? [] : [new OfferWithdrawal(effects.Withdraw, Id, effects.WithdrawReason)];
        RequestChange[] changes = effects.Announce ? [Change(effects.AlsoTell)] : [];
        var batch = new LiveBatch(offers, withdrawals, changes, []);
        if (!batch.IsEmpty)
        {
            live.Publish(batch); // this silo's delivery to the live web nodes: queued, never waited for
            // The other channels (push, the station's group, SMS) follow the ladder in the request's reach grain.
            Guid[]? withDevices = saved is not null && OfferRound.VolunteersOf(offers).All(saved.Offered.Contains)
                ? [.. OfferRound.VolunteersOf(offers).Where(saved.WithDevices.Contains)]
                : null;
            GrainFactory.Get<IRequestReachGrain>(Id).NoticeAsync(
                new ReachNotice(View(), offers, effects.Withdraw, effects.WithdrawReason, first, withDevices)).Ignore();
        }
    }

    /// <summary>
    /// A claim's write failed after the race's other claims heard "already taken": those the stored request still
    /// offers hear the offer again, so none of them is left believing it is gone. The stored row is read to know (the
    /// failed write may have reached it); if it cannot be read they are not told, and the claim deadline still stands.
    /// </summary>
    private async Task OfferAgainAsync(Guid[] refused)
    {
        if (refused.Length == 0)
            return;
        try
        {
            if ((await store.LoadAsync(Id)).State is not { Status: RequestStatus.Offered } stored)
                return;
            var offers = HelpRequestViews.ToRounds(Id, stored, refused);
            if (offers.Length > 0)
                live.Publish(new LiveBatch(offers, [], [], []));
        }
        catch (Exception e)
        {
            log.LogWarning("Request {RequestId}: the claims refused during a failed write were not offered again ({Reason})", Id, e.Message);
        }
    }

    private RequestChange Change(Guid? alsoTell)
    {
        Guid[] volunteers = (_state.AssignedVolunteerId, alsoTell) switch
        {
            ({ } a, { } b) when a != b => [a, b],
            ({ } a, _) => [a],
            (null, { } b) => [b],
            _ => [],
        };
        return new RequestChange(View(), [_state.CreatedBy], volunteers);
    }

    private HelpRequestView View() => HelpRequestViews.ToView(Id, _state);

    public void Dispose()
    {
        _settleTimer?.Dispose();
        _turn.Dispose();
    }
}
