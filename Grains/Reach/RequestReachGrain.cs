using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Outreach.Dispatch;
using Outreach.Grains.Dispatch;
using Outreach.Live;
using Outreach.Model;
using Outreach.Reach;
using Outreach.Cluster;

namespace Outreach.Grains.Reach;

/// <summary>
/// Carries one request's news beyond the live pages, step by step (<see cref="ReachOptions"/>): Web Push to the
/// volunteers offered, the station's group after its delay, SMS to the volunteers no device acknowledged, and the
/// family's SMS when the request is claimed, reached and completed. Reentrant: a channel that is slow to answer
/// holds nothing up, and the request grain only ever sends it one-way notices. What each attempt answered goes to
/// the <see cref="DeliveryLog"/>. What was already done is read back from that record before the activation's first
/// call, so a request grain that repeats its effects (a retry, a new activation) does not text the family twice — except
/// when that call is the notice of a request's first stored version (<see cref="ReachNotice.First"/>): nothing can have
/// been delivered for a request before it was stored, so the read is skipped (one query fewer per request).
/// </summary>
[Reentrant]
public sealed class RequestReachGrain(
    IOptions<ReachOptions> options,
    IPushChannel push,
    IRobotChannel robots,
    ISmsChannel sms,
    DeliveryLog deliveries,
    TimeProvider clock,
    ILogger<RequestReachGrain> log)
    : Grain, IRequestReachGrain
{
    private readonly ReachOptions _options = options.Value;
    /// <summary>
    /// Who is offered, with what their offer says: the round's view (one per round, shared) and their own ETA and
    /// distance. Held while the request is open; one object per offer fewer than a view each (≈ 80 B an offer) is less
    /// for the silo's collector to copy (docs/PERF.md, session 26).
    /// </summary>
    private readonly Dictionary<Guid, OfferedTo> _offered = [];
    private readonly HashSet<Guid> _seen = [];
    private readonly HashSet<(Guid, ReachChannel)> _seenBy = [];
    private readonly HashSet<Guid> _pushed = [];
    /// <summary>Steps done once per request: the family told of a step, the group told of a claim.</summary>
    private readonly HashSet<string> _done = new(StringComparer.Ordinal);
    private readonly List<IGrainTimer> _steps = [];
    private HelpRequestView? _request;
    private bool _robotPosted;
    private Task? _recordRead;

    private Guid Id => this.GetPrimaryKey();

    /// <summary>Reads what was already done for the request, once per activation (calls interleave: they share the read).</summary>
    private Task ReadRecordAsync() => _recordRead ??= ReadRecordOnceAsync();

    private async Task ReadRecordOnceAsync()
    {
        try
        {
            foreach (var record in await deliveries.ReadAsync(Id))
                Remember(record);
        }
        catch (Exception e)
        {
            // Without the record, a repeated notice may repeat a message; never a reason to stay silent.
            log.LogWarning("Request {RequestId}: delivery record not read ({Reason})", Id, e.Message);
        }
    }

    public async Task NoticeAsync(ReachNotice notice)
    {
        if (notice.First)
            _recordRead ??= Task.CompletedTask; // the request was just stored for the first time: nothing was delivered yet
        await ReadRecordAsync();
        if (_request is { } known && notice.Request.Version < known.Version)
            return; // an older change overtaken by a newer one
        _request = notice.Request;
        var work = new List<Task>();
        if (notice.Offers.Length > 0)
            work.Add(OfferAsync(notice));
        if (notice.Withdrawn.Length > 0)
            work.Add(WithdrawAsync(notice.Withdrawn, notice.WithdrawReason));
        work.Add(TellOfStatusAsync(notice.Request));
        await Task.WhenAll(work);
    }

    public Task AcknowledgeAsync(Guid volunteerId, ReachChannel channel) => AcknowledgeAllAsync([new(volunteerId, channel)]);

    public async Task AcknowledgeAllAsync(OfferSeen[] seen)
    {
        await ReadRecordAsync();
        List<OfferSeen>? unsure = null;
        foreach (var ack in seen)
        {
            if (StillOffered(ack.VolunteerId))
                Acknowledged(ack);
            else
                (unsure ??= []).Add(ack);
        }
        if (unsure is null)
            return;
        // Notices are one-way: the page can be quicker than the notice of its offer, and a new activation has had
        // none. The request knows whose offer is open; anyone else (never offered, withdrawn, claimed) is ignored.
        var request = GrainFactory.Get<IHelpRequestGrain>(Id);
        Guid[] volunteers = [.. unsure.Select(a => a.VolunteerId).Distinct()];
        var offers = await Task.WhenAll(volunteers.Select(request.GetOfferAsync));
        var open = volunteers.Where((_, i) => offers[i] is not null).ToHashSet();
        foreach (var ack in unsure.Where(a => open.Contains(a.VolunteerId)))
            Acknowledged(ack);
    }

    private void Acknowledged(OfferSeen ack)
    {
        _seen.Add(ack.VolunteerId);
        if (_seenBy.Add((ack.VolunteerId, ack.Channel)))
            Keep(ReachEvents.Offer, ack.Channel, ack.VolunteerId, DeliveryOutcomes.Seen, null);
    }

    public Task<DeliveryRecord[]> GetDeliveriesAsync() => deliveries.ReadAsync(Id);

    private async Task OfferAsync(ReachNotice notice)
    {
        var ladder = _options.LadderOf(notice.Request.Urgency);
        OfferedTo.Keep(notice.Offers, _offered);
        Guid[] offeredNow = [.. OfferRound.VolunteersOf(notice.Offers)];
        // Handed to the live pages: one row for the round.
        deliveries.RecordAll(new DeliveryRecord(clock.GetUtcNow(), Id, null, ReachEvents.Offer, ReachChannel.Socket, DeliveryOutcomes.Sent, null), offeredNow);
        // The steps' closures hold the version and the ids only: the notice (every offer's view) is not kept for minutes.
        var version = notice.Request.Version;
        After(ladder.Robot, () => PostOfferAsync(version));
        After(ladder.Sms, () => TextOffersAsync(offeredNow));
        if (ladder.Push is { } pushAfter)
        {
            if (pushAfter <= TimeSpan.Zero)
                await PushOffersAsync(offeredNow, notice.OffersWithDevices);
            else
                After(pushAfter, () => PushOffersAsync(offeredNow));
        }
    }

    /// <summary>
    /// Pushes the offer to those of <paramref name="volunteers"/> still offered that have a device: as
    /// <paramref name="withDevices"/> says (read when the offers were stored), else looked up now.
    /// </summary>
    private async Task PushOffersAsync(Guid[] volunteers, Guid[]? withDevices = null)
    {
        Guid[] offered = [.. volunteers.Where(StillOffered)];
        if (offered.Length == 0)
            return;
        if (withDevices is not null)
        {
            await PushEachAsync([.. offered.Intersect(withDevices)]);
            return;
        }
        IEnumerable<Guid> reachable = offered;
        try
        {
            // Most volunteers have no device: one lookup for the round instead of one per volunteer.
            var found = await push.WithDevicesAsync(offered, CancellationToken.None);
            reachable = offered.Where(found.Contains);
        }
        catch (Exception e)
        {
            log.LogWarning("Request {RequestId}: push devices not looked up together ({Reason}); asking per volunteer", Id, e.GetType().Name);
        }
        await PushEachAsync([.. reachable]);
    }

    private Task PushEachAsync(Guid[] volunteers) =>
        Task.WhenAll(volunteers.Where(StillOffered).Select(async volunteer =>
        {
            var results = await TryAsync(ReachChannel.Push, c => push.OfferAsync(volunteer, _offered[volunteer].View, c));
            if (results.Length > 0)
                _pushed.Add(volunteer);
            KeepAll(ReachEvents.Offer, ReachChannel.Push, volunteer, results);
        }));

    private Task TextOffersAsync(Guid[] volunteers) =>
        Task.WhenAll(volunteers.Where(v => StillOffered(v) && !_seen.Contains(v)).Select(async volunteer =>
        {
            var results = await TryAsync(ReachChannel.Sms, c => sms.OfferAsync(volunteer, _offered[volunteer].View, c));
            KeepAll(ReachEvents.Offer, ReachChannel.Sms, volunteer, results);
        }));

    private async Task PostOfferAsync(int version)
    {
        if (_request is not { Status: RequestStatus.Offered, StationId: { } station } request)
            return; // claimed (or closed) before the group's turn came
        var news = new RobotNews(ReachEvents.Offer, Id, request.Category, request.Urgency, request.OfferedCount, null);
        var results = await TryAsync(ReachChannel.Robot, c => robots.PostAsync(station, news, c));
        _robotPosted |= results.Any(r => r.Outcome == DeliveryOutcomes.Accepted);
        KeepAll(ReachEvents.Offer, ReachChannel.Robot, null, results);
        log.LogDebug("Request {RequestId} (v{Version}) posted to its station's group", Id, version);
        // A claim that came while the group's post was on its way found nothing posted yet: the group hears of it now.
        if (_request is { } latest)
            await TellGroupOfClaimAsync(latest);
    }

    /// <summary>The station's group hears who took the request, once per assignee, if it was told of the offer.</summary>
    private Task TellGroupOfClaimAsync(HelpRequestView request)
    {
        if (!_robotPosted || request.StationId is not { } station || !Lifecycle.IsAssigned(request.Status)
            || request.AssignedVolunteerId is not { } assignee || !Once($"robot:{ReachEvents.Claimed}:{assignee:N}"))
        {
            return Task.CompletedTask;
        }
        var news = new RobotNews(ReachEvents.Claimed, Id, request.Category, request.Urgency, request.OfferedCount, request.AssignedVolunteerName);
        return PostAsync(station, news);
    }

    private async Task WithdrawAsync(Guid[] volunteers, string reason)
    {
        var pushed = volunteers.Where(_pushed.Remove).ToArray();
        foreach (var volunteer in volunteers)
            _offered.Remove(volunteer);
        await Task.WhenAll(pushed.Select(async volunteer =>
        {
            var results = await TryAsync(ReachChannel.Push, c => push.WithdrawAsync(volunteer, Id, reason, c));
            KeepAll(ReachEvents.Withdrawn, ReachChannel.Push, volunteer, results);
        }));
    }

    /// <summary>The family and the station's group hear of the steps that concern them, each once.</summary>
    private async Task TellOfStatusAsync(HelpRequestView request)
    {
        var work = new List<Task>();
        if (Lifecycle.IsAssigned(request.Status) && request.AssignedVolunteerId is { } assignee)
        {
            if (Lifecycle.IsComing(request.Status) && Once($"family:{ReachEvents.Claimed}:{assignee:N}"))
                work.Add(TellFamilyAsync(ReachEvents.Claimed, request));
            work.Add(TellGroupOfClaimAsync(request));
        }
        if (request.OnSiteAt is not null && Once($"family:{ReachEvents.OnSite}"))
            work.Add(TellFamilyAsync(ReachEvents.OnSite, request));
        if (request.CompletedAt is not null && Once($"family:{ReachEvents.Completed}"))
            work.Add(TellFamilyAsync(ReachEvents.Completed, request));
        await Task.WhenAll(work);
    }

    private async Task TellFamilyAsync(string familyEvent, HelpRequestView request)
    {
        var results = await TryAsync(ReachChannel.Sms, c => sms.TellFamilyAsync(familyEvent, request, c));
        // The family's messages are recorded with the volunteer they are about.
        KeepAll(familyEvent, ReachChannel.Sms, request.AssignedVolunteerId, results);
    }

    private async Task PostAsync(Guid station, RobotNews news)
    {
        var results = await TryAsync(ReachChannel.Robot, c => robots.PostAsync(station, news, c));
        KeepAll(news.Event, ReachChannel.Robot, _request?.AssignedVolunteerId, results);
    }

    private bool StillOffered(Guid volunteer) =>
        _request is { Status: RequestStatus.Offered } && _offered.ContainsKey(volunteer);

    private bool Once(string step) => _done.Add(step);

    /// <summary>Runs a step after its delay (null: never), once; the activation stays while steps are pending.</summary>
    private void After(TimeSpan? delay, Func<Task> step)
    {
        if (delay is not { } due)
            return;
        if (due <= TimeSpan.Zero)
        {
            step().Ignore();
            return;
        }
        IGrainTimer? timer = null;
        timer = this.RegisterGrainTimer(async _ =>
        {
            _steps.Remove(timer!);
            timer!.Dispose();
            await step();
        }, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = true, Interleave = true });
        _steps.Add(timer);
    }

    /// <summary>A channel that throws is recorded as failed; it never fails the notice.</summary>
    private async Task<DeliveryResult[]> TryAsync(ReachChannel channel, Func<CancellationToken, Task<DeliveryResult[]>> attempt)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            return await attempt(timeout.Token);
        }
        catch (Exception e)
        {
            log.LogWarning("Request {RequestId}: {Channel} failed ({Reason})", Id, channel, e.GetType().Name);
            return [new DeliveryResult(DeliveryOutcomes.Failed, e is OperationCanceledException ? "timeout" : e.GetType().Name)];
        }
    }

    private void KeepAll(string @event, ReachChannel channel, Guid? volunteer, DeliveryResult[] results)
    {
        foreach (var result in results)
            Keep(@event, channel, result.VolunteerId ?? volunteer, result.Outcome, result.Detail);
    }

    private void Keep(string @event, ReachChannel channel, Guid? volunteer, string outcome, string? detail)
    {
        var record = new DeliveryRecord(clock.GetUtcNow(), Id, volunteer, @event, channel, outcome, detail);
        Remember(record);
        deliveries.Record(record);
    }

    /// <summary>What a record says was done already.</summary>
    private void Remember(DeliveryRecord record)
    {
        switch (record)
        {
            case { Event: ReachEvents.Offer, Outcome: DeliveryOutcomes.Seen, VolunteerId: { } seen }:
                _seen.Add(seen);
                _seenBy.Add((seen, record.Channel));
                break;
            case { Event: ReachEvents.Offer, Channel: ReachChannel.Push, VolunteerId: { } pushed }:
                _pushed.Add(pushed);
                break;
            case { Event: ReachEvents.Offer, Channel: ReachChannel.Robot, Outcome: DeliveryOutcomes.Accepted }:
                _robotPosted = true;
                break;
            case { Event: ReachEvents.Claimed, Channel: ReachChannel.Sms or ReachChannel.Robot }:
                _done.Add($"{(record.Channel == ReachChannel.Sms ? "family" : "robot")}:{ReachEvents.Claimed}:{record.VolunteerId:N}");
                break;
            case { Channel: ReachChannel.Sms, Event: ReachEvents.OnSite or ReachEvents.Completed }:
                _done.Add($"family:{record.Event}");
                break;
        }
    }
}

/// <summary>A volunteer's offer as the reach grain keeps it: the round's view and this volunteer's ETA and distance.</summary>
internal readonly record struct OfferedTo(OfferView Round, double EtaMinutes, double DistanceM)
{
    /// <summary>The volunteer's view, as the request grain made it.</summary>
    public OfferView View => OfferRound.ViewOf(Round, EtaMinutes, DistanceM);

    /// <summary>Files the rounds' offers in <paramref name="offered"/>, by volunteer, each on its round's shared view.</summary>
    public static void Keep(IReadOnlyList<OfferRound> rounds, Dictionary<Guid, OfferedTo> offered)
    {
        offered.EnsureCapacity(offered.Count + rounds.Sum(r => r.To.Length));
        foreach (var round in rounds)
        {
            foreach (var volunteer in round.To)
                offered[volunteer.VolunteerId] = new OfferedTo(round.Shape, volunteer.EtaMinutes, volunteer.DistanceM);
        }
    }
}
