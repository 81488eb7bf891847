using Outreach.Dispatch;
using Outreach.Live;
using Outreach.Model;
using Outreach.Volunteers;

namespace Outreach.Grains.Dispatch;

/// <summary>
/// The rules of one help request, with no Orleans and no I/O: <see cref="Decide"/> takes the stored state, a
/// command and the facts gathered so far, and answers with a refusal, the facts still needed, or the next state
/// and the effects to carry out once it is stored. The current state is never changed: the next one is a copy.
/// </summary>
public sealed class HelpRequest(DispatchOptions options, CareOptions? care = null)
{
    private readonly ServiceCircle _circle = new(options);
    private readonly CareOptions _care = care ?? new CareOptions();

    /// <summary>Decides <paramref name="command"/> on <paramref name="current"/>.</summary>
    public Decision Decide(HelpRequestState current, RequestCommand command, RequestFacts facts)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(facts);
        if (command is SubmitCommand submit)
            return Submit(current, submit, facts);
        if (current.Request is null)
            return command is DeadlineCommand
                ? Decision.Repeat(RequestEffects.None)
                : Decision.Refuse(DispatchOutcome.NotFound, "There is no such request.");
        return command switch
        {
            ClaimCommand claim => Claim(current, claim, facts),
            AdvanceCommand advance => Advance(current, advance, facts),
            ReleaseCommand release => Release(current, release, facts),
            AssignCommand assign => Assign(current, assign, facts),
            CancelCommand cancel => Cancel(current, cancel, facts),
            FollowUpCommand followUp => FollowUp(current, followUp, facts),
            ReofferCommand reoffer => Reoffer(current, reoffer, facts),
            NoteCommand note when IsRepeatOfLast(current, note.Actor, null, note.Note, facts.Now) => Decision.Repeat(Standing(current)),
            NoteCommand note => Changed(Copy(current).Record(facts.Now, note.Actor, current.Status, note.Note),
                new RequestEffects()),
            DeadlineCommand => Deadline(current, facts),
            _ => throw new ArgumentException($"Unknown command {command.GetType().Name}.", nameof(command)),
        };
    }

    /// <summary>
    /// The effects the stored state still implies, for a new activation or a repeated command: the assignee
    /// carries the request, and while it is offered, the offers stand.
    /// </summary>
    public static RequestEffects Standing(HelpRequestState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Request is null || state.IsClosed)
            return RequestEffects.None;
        return new RequestEffects
        {
            Offer = state.Status == RequestStatus.Offered ? [.. state.Offers.Keys] : [],
            TakeOn = Lifecycle.IsAssigned(state.Status) ? state.AssignedVolunteerId : null,
        };
    }

    private Decision Submit(HelpRequestState current, SubmitCommand command, RequestFacts facts)
    {
        if (current.Request is not null)
        {
            // A retry of the same intake: the request stands as stored (with its deadline); its offers are due again.
            return Decision.Repeat(Standing(current));
        }
        var request = command.Request;
        var window = _care.PairedWindowOf(request.Urgency);
        var pairedWanted = (request.WorkerId is not null || request.PreferredVolunteerId is not null) && window > TimeSpan.Zero;
        if (!facts.StationKnown || facts.Candidates is null || (pairedWanted && facts.Paired is null))
        {
            return Decision.Need(new FactsNeeded
            {
                StationFor = request.Position,
                Candidates = new CandidateQuery(request.Position, request.Category, options.CircleMinutes, [], false),
                PairedOf = pairedWanted ? request.WorkerId : null,
                Preferred = pairedWanted ? request.PreferredVolunteerId : null,
            });
        }

        var now = facts.Now;
        var next = Copy(current);
        next.Request = request;
        next.CreatedBy = command.Actor.AccountId;
        next.CreatedAt = now;
        next.CircleMinutes = options.CircleMinutes;
        next.StationId = facts.StationId;
        next.Record(now, command.Actor, RequestStatus.New, TimelineNote.Recorded());
        var paired = pairedWanted ? PairedFirst(request, facts) : [];
        if (paired.Length > 0)
        {
            // 一对一结对: the family's own helper(s) alone, until the window ends (the deadline reminder opens it to the circle).
            next.Offers = paired.ToDictionary(p => p.VolunteerId, p => p.Offer);
            next.PairedUntil = now + window;
            next.DeadlineAt = next.PairedUntil;
            next.Record(now, command.Actor, RequestStatus.Offered, TimelineNote.PairedFirst(paired.Length, window.TotalSeconds));
            return Changed(next, new RequestEffects { Offer = [.. next.Offers.Keys] });
        }
        next.Offers = facts.Candidates.ToDictionary(c => c.VolunteerId, c => new OfferRecord(c.EtaMinutes, c.DistanceM, now));
        next.DeadlineAt = now + options.ClaimDeadline(request.Urgency);
        next.Record(now, command.Actor, RequestStatus.Offered, TimelineNote.Offered(facts.Candidates.Length, next.CircleMinutes));
        return Changed(next, new RequestEffects { Offer = [.. next.Offers.Keys] });
    }

    /// <summary>
    /// The refusal of <paramref name="volunteerId"/>'s claim that needs no facts and that no pending write can change:
    /// the request is taken — or being taken: <paramref name="claiming"/> is a claim decided and being stored —, not
    /// open, or not offered to them. Null when the claim must be decided in its turn (it may win, or it is the winner's
    /// retry). So the losers of a race are answered at once, without waiting for the winner's write.
    /// </summary>
    public static Refusal? RefuseClaimAtOnce(HelpRequestState current, Guid volunteerId, Guid? claiming)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (current.Request is null || (Lifecycle.IsAssigned(current.Status) && current.AssignedVolunteerId == volunteerId))
            return null;
        // Asked first, so one never offered the request learns nothing of it (taken, closed or being claimed).
        if (!current.Offers.ContainsKey(volunteerId))
            return new Refusal(DispatchOutcome.Forbidden, "This request was not offered to you.");
        if (Lifecycle.IsAssigned(current.Status) || (claiming is { } winner && winner != volunteerId))
            return new Refusal(DispatchOutcome.AlreadyTaken, "already taken");
        if (current.Status != RequestStatus.Offered)
            return new Refusal(DispatchOutcome.NotOpen, "not open");
        return null;
    }

    private Decision Claim(HelpRequestState current, ClaimCommand command, RequestFacts facts)
    {
        var volunteerId = command.Actor.VolunteerId ?? Guid.Empty;
        if (Lifecycle.IsAssigned(current.Status) && current.AssignedVolunteerId == volunteerId)
            return Decision.Repeat(Standing(current)); // The winner's retry: the claim stands.
        if (RefuseClaimAtOnce(current, volunteerId, claiming: null) is { } refusal)
            return Decision.Refuse(refusal.Outcome, refusal.Detail);
        var offer = current.Offers[volunteerId];
        if (facts.Volunteer is not { } volunteer || volunteer.VolunteerId != volunteerId)
            return Decision.Need(new FactsNeeded { Volunteer = volunteerId });
        if (volunteer.Profile is not { } profile)
            return Decision.Refuse(DispatchOutcome.Forbidden, "Your account has no volunteer record.");
        if (!volunteer.HasRoom)
            return Decision.Refuse(DispatchOutcome.AtCapacity, "You already carry as many requests as your capacity allows.");

        var now = facts.Now;
        var next = Copy(current);
        next.Assign(profile, offer.EtaMinutes, now);
        next.Record(now, command.Actor, RequestStatus.Claimed, TimelineNote.Claimed(profile.Profile.Name, offer.EtaMinutes));
        next.DeadlineAt = EnRouteBy(current.Request!, now);
        return Changed(next, new RequestEffects
        {
            Withdraw = [.. current.Offers.Keys.Where(v => v != volunteerId)],
            WithdrawReason = WithdrawalReasons.Taken,
            TakeOn = volunteerId,
        });
    }

    private static Decision Advance(HelpRequestState current, AdvanceCommand command, RequestFacts facts)
    {
        var assignee = current.AssignedVolunteerId;
        var isAssignee = assignee is not null && assignee == command.Actor.VolunteerId;
        if (isAssignee && current.Status == command.To && (Lifecycle.IsAssigned(current.Status) || current.Status == RequestStatus.Completed))
        {
            // A repeated report (a retry, perhaps of one whose answer was lost) changes nothing.
            return Decision.Repeat(current.Status == RequestStatus.Completed
                ? new RequestEffects { LetGo = [new LetGo(assignee!.Value, Completed: true)] }
                : Standing(current));
        }
        if (current.IsClosed)
            return Decision.Refuse(DispatchOutcome.NotOpen, "not open");
        if (!Lifecycle.IsAssigned(current.Status) || !isAssignee)
            return Decision.Refuse(DispatchOutcome.Forbidden, "Only the volunteer assigned to this request can report its progress.");
        if (Lifecycle.NextStep(current.Status) != command.To)
        {
            return Decision.Refuse(DispatchOutcome.OutOfOrder,
                $"A request that is {current.Status} cannot go to {command.To}; the next step is {Lifecycle.NextStep(current.Status)}.");
        }

        var now = facts.Now;
        var next = Copy(current);
        var effects = new RequestEffects();
        switch (command.To)
        {
            case RequestStatus.EnRoute:
                next.EnRouteAt = now;
                next.DeadlineAt = null;
                break;
            case RequestStatus.OnSite:
                next.OnSiteAt = now;
                break;
            case RequestStatus.Completed:
                next.CompletedAt = now;
                next.ClosedAt = now;
                next.DeadlineAt = null;
                next.Services.Add(new ServiceEntry(CompletionNumber(current), assignee!.Value, current.AssignedVolunteerName ?? "",
                    current.EnRouteAt ?? current.ClaimedAt ?? now, now));
                effects = effects with { LetGo = [new LetGo(assignee!.Value, Completed: true)] };
                break;
        }
        next.Record(now, command.Actor, command.To, command.Note);
        return Changed(next, effects);
    }

    /// <summary>
    /// Widens the circle and offers the request to whoever is newly in it. The same coordinator's same reoffer again,
    /// right after it (<see cref="IsRepeatOfLast"/>), is its retry when the circle holds nobody new — else it is a
    /// second press that finds newcomers, and they are offered.
    /// </summary>
    private Decision Reoffer(HelpRequestState current, ReofferCommand command, RequestFacts facts)
    {
        var repeat = IsRepeatOfLast(current, command.Actor, "widened", command.Note, facts.Now);
        if (current.Status != RequestStatus.Offered)
        {
            return repeat
                ? Decision.Repeat(Standing(current))
                : Decision.Refuse(DispatchOutcome.OutOfOrder, $"Only a request waiting for a claim can be offered again; this one is {current.Status}.");
        }
        if (repeat && facts.Candidates is { } candidates && candidates.All(c => current.Offers.ContainsKey(c.VolunteerId)))
            return Decision.Repeat(Standing(current));
        return Widen(current, command.Actor, TimelineNote.Widened(command.Actor.Name, command.Note), facts);
    }

    private Decision Release(HelpRequestState current, ReleaseCommand command, RequestFacts facts)
    {
        if (IsRepeatedRelease(current, command))
            return Decision.Repeat(Standing(current) with { LetGo = [new LetGo(command.Actor.VolunteerId!.Value, Completed: false)] });
        if (current.IsClosed)
            return Decision.Refuse(DispatchOutcome.NotOpen, "not open");
        if (!Lifecycle.IsAssigned(current.Status) || current.AssignedVolunteerId != command.Actor.VolunteerId)
            return Decision.Refuse(DispatchOutcome.Forbidden, "Only the volunteer assigned to this request can release it.");
        return LoseAssignee(current, command.Actor, TimelineNote.Released(current.AssignedVolunteerName ?? "", command.Reason), facts);
    }

    private Decision Assign(HelpRequestState current, AssignCommand command, RequestFacts facts)
    {
        // The same assignment again is its retry, also once the volunteer has set off (told of it before the retry came).
        if (Lifecycle.IsAssigned(current.Status) && current.AssignedVolunteerId == command.VolunteerId)
            return Decision.Repeat(Standing(current));
        if (current.IsClosed)
            return Decision.Refuse(DispatchOutcome.NotOpen, "not open");
        if (current.Status is not (RequestStatus.Offered or RequestStatus.Claimed))
            return Decision.Refuse(DispatchOutcome.OutOfOrder, $"A request that is {current.Status} is under way and cannot be reassigned.");
        if (facts.Volunteer is not { } volunteer || volunteer.VolunteerId != command.VolunteerId)
            return Decision.Need(new FactsNeeded { Volunteer = command.VolunteerId, Force = command.Force });
        if (volunteer.Profile is not { } profile)
            return Decision.Refuse(DispatchOutcome.NotFound, $"There is no volunteer {command.VolunteerId}.");
        // A deactivated volunteer has left the service: not even a forced assignment reaches them.
        if (!profile.Profile.Active)
            return Decision.Refuse(DispatchOutcome.OutOfOrder, $"{profile.Profile.Name} is deactivated and cannot be assigned; activate them first.");
        var request = current.Request!;
        var offDuty = !profile.OnDuty;
        var lacksSkill = !profile.Profile.Skills.Contains(request.Category);
        if ((offDuty || lacksSkill) && !command.Force)
        {
            var objections = new List<string>();
            if (offDuty)
                objections.Add("is off duty");
            if (lacksSkill)
                objections.Add($"lacks the skill {request.Category}");
            return Decision.Refuse(DispatchOutcome.NeedsConfirmation,
                $"{profile.Profile.Name} {string.Join(" and ", objections)}; confirm to assign anyway.");
        }
        if (!volunteer.HasRoom)
        {
            return Decision.Refuse(DispatchOutcome.AtCapacity,
                $"{profile.Profile.Name} already carries as many requests as their capacity allows; confirm to assign anyway.");
        }

        var now = facts.Now;
        var previous = current.AssignedVolunteerId;
        double? eta = profile.LastPosition is { } fix
            ? Math.Round(_circle.Estimate(fix.Position, request.Position, profile.Profile.TravelMode).EtaMinutes, 2)
            : null;
        var next = Copy(current);
        next.Assign(profile, eta, now);
        next.Record(now, command.Actor, RequestStatus.Claimed, TimelineNote.Assigned(profile.Profile.Name, command.Actor.Name,
            offDuty, lacksSkill ? request.Category.ToString() : null, command.Note));
        next.DeadlineAt = EnRouteBy(request, now);
        return Changed(next, new RequestEffects
        {
            Withdraw = current.Status == RequestStatus.Offered ? [.. current.Offers.Keys.Where(v => v != command.VolunteerId)] : [],
            WithdrawReason = WithdrawalReasons.Assigned,
            AlsoTell = previous,
            TakeOn = command.VolunteerId,
            LetGo = previous is { } replaced ? [new LetGo(replaced, Completed: false)] : [],
        });
    }

    private static Decision Cancel(HelpRequestState current, CancelCommand command, RequestFacts facts)
    {
        if (RepeatedCancel(current, command) is { } cancelled)
        {
            // Its effects again (both idempotent): a first answer lost may have been lost before they were all told.
            return Decision.Repeat(new RequestEffects
            {
                Withdraw = cancelled.From == RequestStatus.Offered ? [.. current.Offers.Keys] : [],
                WithdrawReason = WithdrawalReasons.Cancelled,
                LetGo = Lifecycle.IsAssigned(cancelled.From) && current.AssignedVolunteerId is { } former ? [new LetGo(former, Completed: false)] : [],
            });
        }
        if (current.IsClosed)
            return Decision.Refuse(DispatchOutcome.NotOpen, "not open");
        var next = Copy(current);
        next.ClosedAt = facts.Now;
        next.DeadlineAt = null;
        next.PairedUntil = null;
        next.Record(facts.Now, command.Actor, RequestStatus.Cancelled, command.Reason);
        return Changed(next, new RequestEffects
        {
            Withdraw = current.Status == RequestStatus.Offered ? [.. current.Offers.Keys] : [],
            WithdrawReason = WithdrawalReasons.Cancelled,
            LetGo = Lifecycle.IsAssigned(current.Status) && current.AssignedVolunteerId is { } assignee ? [new LetGo(assignee, Completed: false)] : [],
        });
    }

    private Decision FollowUp(HelpRequestState current, FollowUpCommand command, RequestFacts facts)
    {
        // "Not satisfied" reopened the request; the same answer again, before it is completed anew, is that call's retry.
        if (!command.Satisfied && current.Status != RequestStatus.Completed
            && current.FollowUp is { Satisfied: false } reopened && current.CompletedAt is null
            && (reopened.Rating, reopened.Note) == (command.Rating, command.Note)
            && current.Timeline.LastOrDefault(e => e.Event == "notSatisfied") is { } line && IsBy(line, command.Actor))
        {
            return Decision.Repeat(Standing(current));
        }
        if (current.Status != RequestStatus.Completed)
            return Decision.Refuse(DispatchOutcome.OutOfOrder, $"Only a completed request can be followed up; this one is {current.Status}.");
        // One call-back per completion: the same answer again is a retry; another answer would overwrite the family's.
        if (current.FollowUp is { } done && current.CompletedAt is { } completed && done.At >= completed)
        {
            return (done.Satisfied, done.Rating, done.Note) == (command.Satisfied, command.Rating, command.Note)
                ? Decision.Repeat(RequestEffects.None)
                : Decision.Refuse(DispatchOutcome.OutOfOrder, "This completion was already followed up; its answer stays as recorded.");
        }
        var now = facts.Now;
        if (command.Satisfied)
        {
            var satisfied = Copy(current);
            satisfied.FollowUp = new FollowUpRecord(now, command.Actor.Name, true, command.Rating, command.Note);
            RateLastService(satisfied, true, command.Rating);
            satisfied.Record(now, command.Actor, RequestStatus.Completed, TimelineNote.Satisfied(command.Rating, command.Note));
            return Changed(satisfied, new RequestEffects());
        }

        // 直到你满意: reopen, keep the history, and look for someone else.
        var previous = current.AssignedVolunteerId;
        var round = NewRound(current, previous, resetCircle: true);
        if (facts.Candidates is null)
            return Decision.Need(new FactsNeeded { Candidates = round });
        var next = Copy(current);
        next.FollowUp = new FollowUpRecord(now, command.Actor.Name, false, command.Rating, command.Note);
        RateLastService(next, false, command.Rating); // the first helper's service stays recorded, as not satisfied
        if (previous is { } excluded)
            next.Excluded.Add(excluded);
        next.ClosedAt = null;
        next.CompletedAt = null;
        return StartNewRound(current, next, command.Actor, TimelineNote.NotSatisfied(command.Rating, command.Note), previous,
            resetCircle: true, facts);
    }

    private Decision Deadline(HelpRequestState current, RequestFacts facts)
    {
        // Nothing due: closed, no deadline running, or not yet (the deadline moved after the sweep found it due).
        if (current.IsClosed || current.DeadlineAt is null || facts.Now < current.DeadlineAt)
            return Decision.Repeat(RequestEffects.None);
        switch (current.Status)
        {
            case RequestStatus.Offered when current.PairedUntil is not null:
                return OpenToCircle(current, facts);
            case RequestStatus.Offered:
                return Widen(current, Actor.System, TimelineNote.NoClaim(options.ClaimDeadline(current.Request!.Urgency).TotalMinutes), facts);
            case RequestStatus.Claimed:
                return LoseAssignee(current, Actor.System,
                    TimelineNote.NotEnRoute(current.AssignedVolunteerName ?? "", options.EnRouteDeadline.TotalMinutes), facts);
            default:
                var next = Copy(current);
                next.DeadlineAt = null;
                return Changed(next, new RequestEffects());
        }
    }

    /// <summary>
    /// When the assignee must have set off: the en-route deadline after the claim, or after the visit's window opens
    /// when the request is a care plan's occurrence made ahead of it.
    /// </summary>
    private DateTimeOffset EnRouteBy(NewHelpRequest request, DateTimeOffset now) =>
        (request.WindowFrom is { } from && from > now ? from : now) + options.EnRouteDeadline;

    /// <summary>
    /// The paired helpers who get the request first: known, active, with the skill and room for one more, and on
    /// duty — or off duty with a push device, which the reach ladder's push still reaches. Their ETA is the circle's
    /// when they are in it, else estimated from their last position (0 when they have none).
    /// </summary>
    private (Guid VolunteerId, OfferRecord Offer)[] PairedFirst(NewHelpRequest request, RequestFacts facts)
    {
        var inCircle = facts.Candidates!.ToDictionary(c => c.VolunteerId);
        return [.. facts.Paired!
            .Where(p => p.Profile is { } v && v.Id == p.VolunteerId && v.Profile.Active
                && v.Profile.Skills.Contains(request.Category)
                && (v.OnDuty || p.HasPushDevice)
                && (v.ActiveRequests?.Length ?? 0) < v.Profile.Capacity)
            .DistinctBy(p => p.VolunteerId)
            .Select(p =>
            {
                if (inCircle.TryGetValue(p.VolunteerId, out var candidate))
                    return (p.VolunteerId, new OfferRecord(candidate.EtaMinutes, candidate.DistanceM, facts.Now));
                var (eta, distance) = p.Profile!.LastPosition is { } fix
                    ? _circle.Estimate(fix.Position, request.Position, p.Profile.Profile.TravelMode)
                    : (0, 0);
                return (p.VolunteerId, new OfferRecord(Math.Round(eta, 2), Math.Round(distance), facts.Now));
            })];
    }

    /// <summary>The paired helper's window is over with no claim: the request goes to the whole circle, as any other.</summary>
    private Decision OpenToCircle(HelpRequestState current, RequestFacts facts)
    {
        if (facts.Candidates is not { } candidates)
            return Decision.Need(new FactsNeeded { Candidates = NewRound(current, null, resetCircle: false) });
        var now = facts.Now;
        var next = Copy(current);
        next.PairedUntil = null;
        var fresh = candidates.Where(c => !next.Offers.ContainsKey(c.VolunteerId)).ToArray();
        foreach (var c in fresh)
            next.Offers[c.VolunteerId] = new OfferRecord(c.EtaMinutes, c.DistanceM, now);
        next.DeadlineAt = now + options.ClaimDeadline(next.Request!.Urgency);
        next.Record(now, Actor.System, RequestStatus.Offered, TimelineNote.PairedWindowOver(fresh.Length, next.CircleMinutes));
        return Changed(next, new RequestEffects { Offer = [.. fresh.Select(c => c.VolunteerId)] });
    }

    /// <summary>Escalation: flags the request for coordinators, widens the circle and offers it to whoever is newly in it.</summary>
    private Decision Widen(HelpRequestState current, Actor actor, TimelineNote why, RequestFacts facts)
    {
        var circle = Math.Max(current.CircleMinutes, options.WidenedCircleMinutes);
        if (facts.Candidates is not { } candidates)
        {
            return Decision.Need(new FactsNeeded
            {
                Candidates = new CandidateQuery(current.Request!.Position, current.Request.Category, circle, [.. current.Excluded], false),
            });
        }
        var now = facts.Now;
        var next = Copy(current);
        next.Escalated = true;
        next.CircleMinutes = circle;
        next.PairedUntil = null;
        var fresh = candidates.Where(c => !next.Offers.ContainsKey(c.VolunteerId)).ToArray();
        foreach (var c in fresh)
            next.Offers[c.VolunteerId] = new OfferRecord(c.EtaMinutes, c.DistanceM, now);
        next.DeadlineAt = now + options.ClaimDeadline(next.Request!.Urgency);
        next.Record(now, actor, RequestStatus.Offered, why.Add("circle", Math.Round(circle, 1)).Add("count", fresh.Length)
            .Then($": escalated, circle {circle:0.#} min, offered to {fresh.Length} more volunteer(s)"));
        return Changed(next, new RequestEffects { Offer = [.. fresh.Select(c => c.VolunteerId)] });
    }

    /// <summary>
    /// How long after a person's change the same change from them again is taken for its retry (an answer lost to a
    /// timeout while the write went on: the database stalled, a silo gone) rather than a second change.
    /// </summary>
    internal static readonly TimeSpan RepeatWindow = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Whether the timeline's last line is <paramref name="actor"/>'s own <paramref name="event"/> (null: a note) with
    /// the same words, made within <see cref="RepeatWindow"/>: then the command is its retry, not a second one.
    /// </summary>
    private static bool IsRepeatOfLast(HelpRequestState current, Actor actor, string? @event, string? words, DateTimeOffset now) =>
        current.Timeline.Count > 0 && current.Timeline[^1] is var last
        && last.Event == @event && IsBy(last, actor) && now - last.At < RepeatWindow
        && (@event is null ? last.Note == words : HasWords(last, words));

    /// <summary>Whether <paramref name="actor"/> wrote the line: the same account (the same name, for lines kept without one).</summary>
    private static bool IsBy(TimelineEntry line, Actor actor) =>
        line.ActorId is { } account ? account == actor.AccountId : line.Actor == actor.Name;

    /// <summary>Whether a system line recorded <paramref name="words"/> as the person's own (<see cref="TimelineNote.Add"/> keeps none when blank).</summary>
    private static bool HasWords(TimelineEntry entry, string? words) =>
        entry.Details?.GetValueOrDefault("text") == (string.IsNullOrWhiteSpace(words) ? null : words);

    /// <summary>
    /// A release sent again after its answer was lost: the sender is no longer the assignee but was excluded by it,
    /// and the request's last change of hands is their release, with the same reason.
    /// </summary>
    private static bool IsRepeatedRelease(HelpRequestState current, ReleaseCommand command) =>
        command.Actor.VolunteerId is { } volunteer && current.AssignedVolunteerId != volunteer && current.Excluded.Contains(volunteer)
        && current.Timeline.LastOrDefault(e => e.Event is "claimed" or "assigned" or "released" or "notEnRoute") is { Event: "released" } last
        && IsBy(last, command.Actor) && HasWords(last, command.Reason);

    /// <summary>The line of the request's cancellation, when it is cancelled by this same actor for the same reason.</summary>
    private static TimelineEntry? RepeatedCancel(HelpRequestState current, CancelCommand command) =>
        current.Status == RequestStatus.Cancelled
        && current.Timeline.LastOrDefault(e => e.To == RequestStatus.Cancelled && e.From != RequestStatus.Cancelled) is { } line
        && IsBy(line, command.Actor) && line.Note == command.Reason
            ? line
            : null;

    /// <summary>The assignee is gone (released, or did not set off in time): exclude them and offer the request again.</summary>
    private Decision LoseAssignee(HelpRequestState current, Actor actor, TimelineNote why, RequestFacts facts)
    {
        var previous = current.AssignedVolunteerId!.Value;
        if (facts.Candidates is null)
            return Decision.Need(new FactsNeeded { Candidates = NewRound(current, previous, resetCircle: false) });
        var next = Copy(current);
        next.Excluded.Add(previous);
        var decision = StartNewRound(current, next, actor, why, previous, resetCircle: false, facts);
        return decision with { Effects = decision.Effects with { LetGo = [new LetGo(previous, Completed: false)] } };
    }

    /// <summary>The query of a new round that leaves out <paramref name="alsoExclude"/>.</summary>
    private CandidateQuery NewRound(HelpRequestState current, Guid? alsoExclude, bool resetCircle)
    {
        var request = current.Request!;
        var excluded = alsoExclude is { } v ? current.Excluded.Append(v).Distinct() : current.Excluded;
        return new CandidateQuery(request.Position, request.Category, resetCircle ? options.CircleMinutes : current.CircleMinutes,
            [.. excluded], false);
    }

    /// <summary>Clears the assignment and offers the request to the volunteers now in its circle.</summary>
    private Decision StartNewRound(HelpRequestState current, HelpRequestState next, Actor actor, TimelineNote why,
        Guid? previousAssignee, bool resetCircle, RequestFacts facts)
    {
        var now = facts.Now;
        var candidates = facts.Candidates!;
        next.AssignedVolunteerId = null;
        next.AssignedVolunteerName = null;
        next.AssignedVolunteerPhone = null;
        next.AssignedEtaMinutes = null;
        next.ClaimedAt = next.EnRouteAt = next.OnSiteAt = null;
        next.PairedUntil = null;
        if (resetCircle)
        {
            next.CircleMinutes = options.CircleMinutes;
            next.Escalated = false;
        }
        next.Offers = candidates.ToDictionary(c => c.VolunteerId, c => new OfferRecord(c.EtaMinutes, c.DistanceM, now));
        next.DeadlineAt = now + options.ClaimDeadline(next.Request!.Urgency);
        next.Record(now, actor, RequestStatus.Offered, why.Add("count", candidates.Length).Then($"; offered to {candidates.Length} volunteer(s)"));
        return Changed(next, new RequestEffects { Offer = [.. next.Offers.Keys], AlsoTell = previousAssignee });
    }

    /// <summary>A change, announced to its viewers.</summary>
    private static Decision Changed(HelpRequestState next, RequestEffects effects) =>
        new() { Next = next, Effects = effects with { Announce = true } };

    private static HelpRequestState Copy(HelpRequestState state) => state.Copy();

    /// <summary>
    /// Which completion of the request this is: one more than the completions in its timeline (counted there rather
    /// than in <see cref="HelpRequestState.Services"/>, which requests stored before service records lack).
    /// </summary>
    private static int CompletionNumber(HelpRequestState current) =>
        current.Timeline.Count(e => e.To == RequestStatus.Completed && e.From != RequestStatus.Completed) + 1;

    /// <summary>The follow-up answers for the latest completion.</summary>
    private static void RateLastService(HelpRequestState next, bool satisfied, int rating)
    {
        if (next.Services.Count > 0)
            next.Services[^1] = next.Services[^1] with { Satisfied = satisfied, Rating = rating };
    }
}

/// <summary>The state's own small mutations, used by <see cref="HelpRequest"/> on its copy.</summary>
internal static class HelpRequestStateChanges
{
    public static HelpRequestState Record(this HelpRequestState state, DateTimeOffset at, Actor actor, RequestStatus to, TimelineNote note) =>
        state.Record(new TimelineEntry(at, actor.Name, state.Status, to, note.Text, note.Event, new Dictionary<string, string>(note.Details),
            AccountOf(actor)), to);

    /// <summary>Records a transition with a person's own words (or none) as its note.</summary>
    public static HelpRequestState Record(this HelpRequestState state, DateTimeOffset at, Actor actor, RequestStatus to, string? note) =>
        state.Record(new TimelineEntry(at, actor.Name, state.Status, to, note, ActorId: AccountOf(actor)), to);

    private static Guid? AccountOf(Actor actor) => actor.AccountId == Guid.Empty ? null : actor.AccountId;

    private static HelpRequestState Record(this HelpRequestState state, TimelineEntry entry, RequestStatus to)
    {
        state.Timeline.Add(entry);
        state.Status = to;
        state.Version++;
        return state;
    }

    public static void Assign(this HelpRequestState state, VolunteerView volunteer, double? etaMinutes, DateTimeOffset now)
    {
        state.AssignedVolunteerId = volunteer.Id;
        state.AssignedVolunteerName = volunteer.Profile.Name;
        state.AssignedVolunteerPhone = volunteer.Profile.Phone;
        state.AssignedEtaMinutes = etaMinutes;
        state.ClaimedAt = now;
        state.PairedUntil = null;
    }
}
