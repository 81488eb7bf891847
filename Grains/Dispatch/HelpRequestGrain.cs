using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Outreach.Dispatch;
using Outreach.Files;
using Outreach.Live;
using Outreach.Model;
using Outreach.Stations;
using Outreach.Volunteers;

namespace Outreach.Grains.Dispatch;

/// <summary>
/// One help request, start to end. Calls are handled one at a time (the grain is not reentrant), so the
/// first claim that arrives is the one that wins; every change is written to storage before anyone hears of
/// it, and only then are offers sent, withdrawn or deadlines moved. The deadline is a durable reminder.
/// </summary>
public sealed class HelpRequestGrain(
    [PersistentState("helpRequest", "outreach")] IPersistentState<HelpRequestState> state,
    IOptions<DispatchOptions> options,
    IRequestLedger ledger,
    TimeProvider clock,
    ILogger<HelpRequestGrain> log)
    : Grain, IHelpRequestGrain, IRemindable
{
    internal const string DeadlineReminder = "deadline";

    private readonly DispatchOptions _options = options.Value;
    private readonly CircleTest _circle = new(options.Value);

    private HelpRequestState S => state.State;

    private Guid Id => this.GetPrimaryKey();

    public async Task<SubmitResult> SubmitAsync(NewHelpRequest request, Actor actor)
    {
        if (S.Request is not null)
        {
            // A retry of the same intake: make sure the deadline runs, and answer with the request as it is.
            if (!S.IsClosed && S.DeadlineAt is not null)
                await EnsureReminderAsync();
            return new SubmitResult(View(), Created: false);
        }

        var now = clock.GetUtcNow();
        S.Request = request;
        S.CreatedBy = actor.AccountId;
        S.CreatedAt = now;
        S.CircleMinutes = _options.CircleMinutes;
        S.StationId = await ChooseStationAsync(request.Position);
        Record(now, actor, RequestStatus.New, TimelineNote.Recorded());

        var candidates = await FindCandidatesAsync(S.CircleMinutes);
        S.Offers = candidates.ToDictionary(c => c.VolunteerId, c => new OfferRecord(c.EtaMinutes, c.DistanceM, now));
        S.DeadlineAt = now + _options.ClaimDeadline(request.Urgency);
        Record(now, actor, RequestStatus.Offered, TimelineNote.Offered(candidates.Length, S.CircleMinutes));

        // The deadline and the state are independent rows: write them together. If the reminder is written and
        // the state is not, the reminder finds no request and drops itself; if the state is written and the
        // reminder is not, the caller sees the error and its retry (same key) registers the reminder again.
        await Task.WhenAll(EnsureReminderAsync(), CommitAsync());

        Publish(new LiveBatch(Offers(candidates.Select(c => c.VolunteerId)), [], [Change()], []));
        await RecordInLedgerAsync();
        return new SubmitResult(View(), Created: true);
    }

    public Task<HelpRequestView?> GetAsync() => Task.FromResult(S.Request is null ? null : View());

    public Task<OfferView?> GetOfferAsync(Guid volunteerId) =>
        Task.FromResult(S.Status == RequestStatus.Offered && S.Offers.ContainsKey(volunteerId) ? OfferFor(volunteerId) : null);

    public Task<TimelineEntry[]> GetTimelineAsync() => Task.FromResult(S.Timeline.ToArray());

    public async Task<Candidate[]> GetCandidatesAsync() =>
        S.Request is null || S.IsClosed ? [] : await FindCandidatesAsync(Math.Max(S.CircleMinutes, _options.WidenedCircleMinutes), ignoreCapacity: true);

    public async Task<DispatchResult> ClaimAsync(Actor volunteer)
    {
        if (S.Request is null)
            return Fail(DispatchOutcome.NotFound, "There is no such request.");
        var volunteerId = volunteer.VolunteerId ?? Guid.Empty;
        if (Lifecycle.IsAssigned(S.Status) && S.AssignedVolunteerId == volunteerId)
            return Ok(); // The winner's retry: the claim stands.
        if (Lifecycle.IsAssigned(S.Status))
            return Fail(DispatchOutcome.AlreadyTaken, "already taken");
        if (S.Status != RequestStatus.Offered)
            return Fail(DispatchOutcome.NotOpen, "not open");
        if (!S.Offers.TryGetValue(volunteerId, out var offer))
            return Fail(DispatchOutcome.Forbidden, "This request was not offered to you.");

        var profile = await GrainFactory.GetGrain<IVolunteerGrain>(volunteerId).GetAsync();
        if (profile is null)
            return Fail(DispatchOutcome.Forbidden, "Your account has no volunteer record.");
        if (!await GrainFactory.GetGrain<IVolunteerGrain>(volunteerId).TakeOnAsync(Id, force: false))
            return Fail(DispatchOutcome.AtCapacity, "You already carry as many requests as your capacity allows.");

        var now = clock.GetUtcNow();
        var others = S.Offers.Keys.Where(v => v != volunteerId).ToArray();
        Assign(profile, offer.EtaMinutes, now);
        Record(now, volunteer, RequestStatus.Claimed, TimelineNote.Claimed(profile.Profile.Name, offer.EtaMinutes));
        S.DeadlineAt = now + _options.EnRouteDeadline;
        await CommitAsync(onFailure: () => GrainFactory.GetGrain<IVolunteerGrain>(volunteerId).LetGoAsync(Id, completed: false));

        Publish(new LiveBatch([], Withdrawals(others, "taken by another volunteer"), [Change()], []));
        await AfterChangeAsync();
        return Ok();
    }

    public async Task<DispatchResult> AdvanceAsync(Actor volunteer, RequestStatus to, string? note)
    {
        if (S.Request is null)
            return Fail(DispatchOutcome.NotFound, "There is no such request.");
        if (S.IsClosed)
            return Fail(DispatchOutcome.NotOpen, "not open");
        if (!Lifecycle.IsAssigned(S.Status) || S.AssignedVolunteerId != volunteer.VolunteerId)
            return Fail(DispatchOutcome.Forbidden, "Only the volunteer assigned to this request can report its progress.");
        if (S.Status == to)
            return Ok(); // A repeated report (a retry) changes nothing.
        if (Lifecycle.NextStep(S.Status) != to)
            return Fail(DispatchOutcome.OutOfOrder, $"A request that is {S.Status} cannot go to {to}; the next step is {Lifecycle.NextStep(S.Status)}.");

        var now = clock.GetUtcNow();
        var assigned = S.AssignedVolunteerId!.Value;
        switch (to)
        {
            case RequestStatus.EnRoute:
                S.EnRouteAt = now;
                S.DeadlineAt = null;
                break;
            case RequestStatus.OnSite:
                S.OnSiteAt = now;
                break;
            case RequestStatus.Completed:
                S.CompletedAt = now;
                S.ClosedAt = now;
                S.DeadlineAt = null;
                break;
        }
        Record(now, volunteer, to, note);
        await CommitAsync();
        if (to == RequestStatus.Completed)
            await GrainFactory.GetGrain<IVolunteerGrain>(assigned).LetGoAsync(Id, completed: true);

        Publish(LiveBatch.Of(Change()));
        await AfterChangeAsync();
        return Ok();
    }

    public async Task<DispatchResult> ReleaseAsync(Actor volunteer, string reason)
    {
        if (S.Request is null)
            return Fail(DispatchOutcome.NotFound, "There is no such request.");
        if (S.IsClosed)
            return Fail(DispatchOutcome.NotOpen, "not open");
        if (!Lifecycle.IsAssigned(S.Status) || S.AssignedVolunteerId != volunteer.VolunteerId)
            return Fail(DispatchOutcome.Forbidden, "Only the volunteer assigned to this request can release it.");

        await ReofferAfterLosingAssigneeAsync(volunteer, TimelineNote.Released(S.AssignedVolunteerName ?? "", reason));
        return Ok();
    }

    public async Task<DispatchResult> AssignAsync(Actor coordinator, Guid volunteerId, bool force, string? note)
    {
        if (S.Request is null)
            return Fail(DispatchOutcome.NotFound, "There is no such request.");
        if (S.IsClosed)
            return Fail(DispatchOutcome.NotOpen, "not open");
        if (S.Status is not (RequestStatus.Offered or RequestStatus.Claimed))
            return Fail(DispatchOutcome.OutOfOrder, $"A request that is {S.Status} is under way and cannot be reassigned.");
        if (S.AssignedVolunteerId == volunteerId)
            return Ok();

        var volunteerGrain = GrainFactory.GetGrain<IVolunteerGrain>(volunteerId);
        var profile = await volunteerGrain.GetAsync();
        if (profile is null)
            return Fail(DispatchOutcome.NotFound, $"There is no volunteer {volunteerId}.");
        var objections = Objections(profile);
        if (objections.Count > 0 && !force)
            return Fail(DispatchOutcome.NeedsConfirmation, $"{profile.Profile.Name} {string.Join(" and ", objections)}; confirm to assign anyway.");
        if (!await volunteerGrain.TakeOnAsync(Id, force))
            return Fail(DispatchOutcome.AtCapacity, $"{profile.Profile.Name} already carries as many requests as their capacity allows; confirm to assign anyway.");

        var now = clock.GetUtcNow();
        var previous = S.AssignedVolunteerId;
        var withdrawn = S.Status == RequestStatus.Offered ? S.Offers.Keys.Where(v => v != volunteerId).ToArray() : [];
        double? eta = profile.LastPosition is { } fix ? Math.Round(_circle.Estimate(fix.Position, S.Request.Position, profile.Profile.TravelMode).EtaMinutes, 2) : null;
        Assign(profile, eta, now);
        Record(now, coordinator, RequestStatus.Claimed, TimelineNote.Assigned(profile.Profile.Name, coordinator.Name,
            offDuty: !profile.OnDuty, lacksSkill: profile.Profile.Skills.Contains(S.Request.Category) ? null : S.Request.Category.ToString(), note));
        S.DeadlineAt = now + _options.EnRouteDeadline;
        await CommitAsync(onFailure: () => volunteerGrain.LetGoAsync(Id, completed: false));
        if (previous is { } replaced)
            await GrainFactory.GetGrain<IVolunteerGrain>(replaced).LetGoAsync(Id, completed: false);

        Publish(new LiveBatch([], Withdrawals(withdrawn, "assigned by a coordinator"), [Change(previous)], []));
        await AfterChangeAsync();
        return Ok();
    }

    public async Task<DispatchResult> CancelAsync(Actor actor, string reason)
    {
        if (S.Request is null)
            return Fail(DispatchOutcome.NotFound, "There is no such request.");
        if (S.IsClosed)
            return Fail(DispatchOutcome.NotOpen, "not open");

        var now = clock.GetUtcNow();
        var withdrawn = S.Status == RequestStatus.Offered ? S.Offers.Keys.ToArray() : [];
        var assigned = S.AssignedVolunteerId;
        S.ClosedAt = now;
        S.DeadlineAt = null;
        Record(now, actor, RequestStatus.Cancelled, reason);
        await CommitAsync();
        if (assigned is { } volunteer)
            await GrainFactory.GetGrain<IVolunteerGrain>(volunteer).LetGoAsync(Id, completed: false);

        Publish(new LiveBatch([], Withdrawals(withdrawn, "cancelled"), [Change()], []));
        await AfterChangeAsync();
        return Ok();
    }

    public async Task<DispatchResult> FollowUpAsync(Actor actor, bool satisfied, int rating, string? note)
    {
        if (S.Request is null)
            return Fail(DispatchOutcome.NotFound, "There is no such request.");
        if (S.Status != RequestStatus.Completed)
            return Fail(DispatchOutcome.OutOfOrder, $"Only a completed request can be followed up; this one is {S.Status}.");

        var now = clock.GetUtcNow();
        S.FollowUp = new FollowUpRecord(now, actor.Name, satisfied, rating, note);
        if (satisfied)
        {
            Record(now, actor, RequestStatus.Completed, TimelineNote.Satisfied(rating, note));
            await CommitAsync();
            Publish(LiveBatch.Of(Change()));
            await AfterChangeAsync();
            return Ok();
        }

        // 直到你满意: reopen, keep the history, and look for someone else.
        if (S.AssignedVolunteerId is { } previous)
            S.Excluded.Add(previous);
        S.ClosedAt = null;
        S.CompletedAt = null;
        await StartNewRoundAsync(now, actor, TimelineNote.NotSatisfied(rating, note), S.AssignedVolunteerId, resetCircle: true);
        return Ok();
    }

    public async Task<DispatchResult> ReofferAsync(Actor coordinator, string? note)
    {
        if (S.Request is null)
            return Fail(DispatchOutcome.NotFound, "There is no such request.");
        if (S.Status != RequestStatus.Offered)
            return Fail(DispatchOutcome.OutOfOrder, $"Only a request waiting for a claim can be offered again; this one is {S.Status}.");
        await WidenAsync(coordinator, TimelineNote.Widened(coordinator.Name, note));
        return Ok();
    }

    public async Task<DispatchResult> AddNoteAsync(Actor actor, string note)
    {
        if (S.Request is null)
            return Fail(DispatchOutcome.NotFound, "There is no such request.");
        Record(clock.GetUtcNow(), actor, S.Status, note);
        await CommitAsync();
        Publish(LiveBatch.Of(Change()));
        await AfterChangeAsync();
        return Ok();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != DeadlineReminder)
            return;
        if (S.Request is null || S.IsClosed || S.DeadlineAt is null)
        {
            await DropReminderAsync();
            return;
        }
        var now = clock.GetUtcNow();
        if (now < S.DeadlineAt)
            return;
        if (S.Status == RequestStatus.Offered)
        {
            var minutes = _options.ClaimDeadline(S.Request.Urgency).TotalMinutes;
            await WidenAsync(Actor.System, TimelineNote.NoClaim(minutes));
        }
        else if (S.Status == RequestStatus.Claimed)
        {
            await ReofferAfterLosingAssigneeAsync(Actor.System,
                TimelineNote.NotEnRoute(S.AssignedVolunteerName ?? "", _options.EnRouteDeadline.TotalMinutes));
        }
        else
        {
            S.DeadlineAt = null;
            await CommitAsync();
            await DropReminderAsync();
        }
    }

    /// <summary>Escalation: flags the request for coordinators, widens the circle and offers it to whoever is newly in it.</summary>
    private async Task WidenAsync(Actor actor, TimelineNote why)
    {
        var now = clock.GetUtcNow();
        S.Escalated = true;
        S.CircleMinutes = Math.Max(S.CircleMinutes, _options.WidenedCircleMinutes);
        var candidates = await FindCandidatesAsync(S.CircleMinutes);
        var fresh = candidates.Where(c => !S.Offers.ContainsKey(c.VolunteerId)).ToArray();
        foreach (var c in fresh)
            S.Offers[c.VolunteerId] = new OfferRecord(c.EtaMinutes, c.DistanceM, now);
        S.DeadlineAt = now + _options.ClaimDeadline(S.Request!.Urgency);
        Record(now, actor, RequestStatus.Offered, why.Add("circle", Math.Round(S.CircleMinutes, 1)).Add("count", fresh.Length)
            .Then($": escalated, circle {S.CircleMinutes:0.#} min, offered to {fresh.Length} more volunteer(s)"));
        await CommitAsync();
        Publish(new LiveBatch(Offers(fresh.Select(c => c.VolunteerId)), [], [Change()], []));
        await AfterChangeAsync();
    }

    /// <summary>The assignee is gone (released, or did not set off in time): exclude them and offer the request again.</summary>
    private async Task ReofferAfterLosingAssigneeAsync(Actor actor, TimelineNote why)
    {
        var previous = S.AssignedVolunteerId!.Value;
        S.Excluded.Add(previous);
        await StartNewRoundAsync(clock.GetUtcNow(), actor, why, previous, resetCircle: false);
        await GrainFactory.GetGrain<IVolunteerGrain>(previous).LetGoAsync(Id, completed: false);
    }

    /// <summary>Clears the assignment and offers the request to the volunteers now in its circle.</summary>
    private async Task StartNewRoundAsync(DateTimeOffset now, Actor actor, TimelineNote why, Guid? previousAssignee, bool resetCircle)
    {
        S.AssignedVolunteerId = null;
        S.AssignedVolunteerName = null;
        S.AssignedVolunteerPhone = null;
        S.AssignedEtaMinutes = null;
        S.ClaimedAt = S.EnRouteAt = S.OnSiteAt = null;
        if (resetCircle)
        {
            S.CircleMinutes = _options.CircleMinutes;
            S.Escalated = false;
        }
        var candidates = await FindCandidatesAsync(S.CircleMinutes);
        S.Offers = candidates.ToDictionary(c => c.VolunteerId, c => new OfferRecord(c.EtaMinutes, c.DistanceM, now));
        S.DeadlineAt = now + _options.ClaimDeadline(S.Request!.Urgency);
        Record(now, actor, RequestStatus.Offered, why.Add("count", candidates.Length).Then($"; offered to {candidates.Length} volunteer(s)"));
        await EnsureReminderAsync();
        await CommitAsync();
        Publish(new LiveBatch(Offers(candidates.Select(c => c.VolunteerId)), [], [Change(previousAssignee)], []));
        await AfterChangeAsync();
    }

    private void Assign(VolunteerView volunteer, double? etaMinutes, DateTimeOffset now)
    {
        S.AssignedVolunteerId = volunteer.Id;
        S.AssignedVolunteerName = volunteer.Profile.Name;
        S.AssignedVolunteerPhone = volunteer.Profile.Phone;
        S.AssignedEtaMinutes = etaMinutes;
        S.ClaimedAt = now;
    }

    private List<string> Objections(VolunteerView volunteer)
    {
        var objections = new List<string>();
        if (!volunteer.OnDuty)
            objections.Add("is off duty");
        if (!volunteer.Profile.Skills.Contains(S.Request!.Category))
            objections.Add($"lacks the skill {S.Request.Category}");
        return objections;
    }

    private void Record(DateTimeOffset at, Actor actor, RequestStatus to, TimelineNote note) =>
        Record(new TimelineEntry(at, actor.Name, S.Status, to, note.Text, note.Event, new Dictionary<string, string>(note.Details)), to);

    /// <summary>Records a transition with a person's own words (or none) as its note.</summary>
    private void Record(DateTimeOffset at, Actor actor, RequestStatus to, string? note) =>
        Record(new TimelineEntry(at, actor.Name, S.Status, to, note), to);

    private void Record(TimelineEntry entry, RequestStatus to)
    {
        S.Timeline.Add(entry);
        S.Status = to;
        S.Version++;
    }

    /// <summary>Writes the state; if that fails, undoes what was already done elsewhere, and the caller sees the error.</summary>
    private async Task CommitAsync(Func<Task>? onFailure = null)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            if (onFailure is not null)
                await onFailure();
            // Forget the unwritten change: the next call starts from what storage holds.
            await state.ReadStateAsync();
            throw;
        }
    }

    /// <summary>After a committed change: move or drop the deadline, and rewrite the ledger row.</summary>
    private async Task AfterChangeAsync()
    {
        if (S.DeadlineAt is null || S.IsClosed)
            await DropReminderAsync();
        else
            await EnsureReminderAsync();
        await RecordInLedgerAsync();
    }

    private async Task EnsureReminderAsync()
    {
        var due = S.DeadlineAt is { } at ? at - clock.GetUtcNow() : _options.RoutineClaimDeadline;
        if (due < TimeSpan.Zero)
            due = TimeSpan.Zero;
        await this.RegisterOrUpdateReminder(DeadlineReminder, due, _options.ReminderPeriod);
    }

    private async Task DropReminderAsync()
    {
        if (await this.GetReminder(DeadlineReminder) is { } reminder)
            await this.UnregisterReminder(reminder);
    }

    private async Task RecordInLedgerAsync()
    {
        try
        {
            await ledger.RecordAsync(View());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The grain state is the truth; the next transition rewrites the whole row.
            log.LogWarning(e, "Request {RequestId} v{Version}: ledger row not written", Id, S.Version);
        }
    }

    private async Task<Candidate[]> FindCandidatesAsync(double circleMinutes, bool ignoreCapacity = false)
    {
        var request = S.Request!;
        var query = new CandidateQuery(request.Position, request.Category, circleMinutes, [.. S.Excluded], ignoreCapacity);
        var cells = GeoGrid.KeysCovering(request.Position, _circle.ReachM(circleMinutes));
        var found = await Task.WhenAll(cells.Select(key => GrainFactory.GetGrain<IDispatchCellGrain>(key).FindCandidatesAsync(query)));
        return CircleTest.Merge(found, _options.MaxOffers);
    }

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

    private OfferNotice[] Offers(IEnumerable<Guid> volunteers) =>
        [.. volunteers.Select(v => new OfferNotice(v, OfferFor(v)))];

    private OfferWithdrawal[] Withdrawals(Guid[] volunteers, string reason) =>
        volunteers.Length == 0 ? [] : [new OfferWithdrawal(volunteers, Id, reason)];

    private RequestChange Change(Guid? alsoTell = null)
    {
        Guid[] volunteers = (S.AssignedVolunteerId, alsoTell) switch
        {
            ({ } a, { } b) when a != b => [a, b],
            ({ } a, _) => [a],
            (null, { } b) => [b],
            _ => [],
        };
        return new RequestChange(View(), [S.CreatedBy], volunteers);
    }

    private void Publish(LiveBatch batch)
    {
        if (!batch.IsEmpty)
            GrainFactory.GetGrain<ILiveNotifierGrain>(0).PublishAsync(batch).Ignore();
    }

    private OfferView OfferFor(Guid volunteerId)
    {
        var offer = S.Offers[volunteerId];
        var request = S.Request!;
        return new OfferView(Id, request.Category, request.Urgency, offer.EtaMinutes, offer.DistanceM,
            GeoMath.Approximate(request.Position), S.CreatedAt, S.Status);
    }

    private HelpRequestView View()
    {
        var r = S.Request!;
        return new HelpRequestView(Id, S.Status, S.Escalated, r.Category, r.Urgency, r.Position, r.Address, r.Description,
            r.CallerPhone, r.WorkerId, S.StationId, S.Offers.Count, S.CircleMinutes, S.AssignedVolunteerId,
            S.AssignedVolunteerName, S.AssignedEtaMinutes, S.CreatedBy, S.CreatedAt, S.ClaimedAt, S.EnRouteAt, S.OnSiteAt,
            S.CompletedAt, S.ClosedAt, S.DeadlineAt, S.FollowUp, S.Version, S.AssignedVolunteerPhone);
    }

    private DispatchResult Ok() => new(DispatchOutcome.Ok, null, View());

    private DispatchResult Fail(DispatchOutcome outcome, string detail) =>
        new(outcome, detail, S.Request is null ? null : View());
}
