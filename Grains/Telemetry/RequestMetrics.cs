using System.Diagnostics;
using System.Diagnostics.Metrics;
using Outreach.Dispatch;
using Outreach.Grains.Dispatch;
using Outreach.Model;
using Outreach.ServiceDefaults;

namespace Outreach.Grains.Telemetry;

/// <summary>
/// The figures an operator graphs about dispatch, on the <c>Outreach</c> meter (exported at <c>/metrics</c> and over
/// OTLP like the framework's), and the <c>Outreach</c> activity source for spans around a request's commands. Each
/// figure is recorded once a change is stored, never for a refused or failed one (except the claim conflicts, which
/// are refusals). Tags are words of the domain (category, urgency, status, outcome): never an id or personal data.
/// </summary>
public sealed class RequestMetrics
{
    /// <summary>The meter's and activity source's name (<c>Telemetry.OutreachSource</c> in ServiceDefaults).</summary>
    public const string Name = ServiceDefaults.Telemetry.OutreachSource;

    /// <summary>Spans around a request's commands (<c>request.submit</c>, <c>request.claim</c>, …).</summary>
    public static readonly ActivitySource Source = new(Name);

    private readonly Counter<long> _created;
    private readonly Counter<long> _transitions;
    private readonly Histogram<int> _offers;
    private readonly Histogram<double> _timeToFirstOffer;
    private readonly Histogram<double> _timeToClaim;
    private readonly Counter<long> _escalations;
    private readonly Counter<long> _claimConflicts;

    public RequestMetrics(IMeterFactory meters, LocalCells cells)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(cells);
        var meter = meters.Create(Name);
        meter.CreateObservableCounter("outreach.dispatch.cells_searched", () => new[]
        {
            new Measurement<long>(cells.ReadInPlace, new KeyValuePair<string, object?>("where", "in_place")),
            new Measurement<long>(cells.AskedByCall, new KeyValuePair<string, object?>("where", "by_call")),
        }, "{cell}", "Dispatch cells a search of this silo ranked: read in place (active here) or asked by grain call (active elsewhere or not yet).");
        _created = meter.CreateCounter<long>("outreach.requests.created", "{request}", "Help requests recorded, by category and urgency.");
        _transitions = meter.CreateCounter<long>("outreach.requests.transitions", "{request}", "Stored status changes, by the status reached.");
        _offers = meter.CreateHistogram("outreach.requests.offers", "{volunteer}", "Volunteers offered a request in one round (0: nobody in the circle).",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [0, 1, 2, 3, 5, 10, 20, 50] });
        _timeToFirstOffer = meter.CreateHistogram("outreach.requests.time_to_first_offer", "s",
            "From the hotline's call reaching the request to its offers being stored and sent (intake's own time).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        _timeToClaim = meter.CreateHistogram("outreach.requests.time_to_claim", "s", "From a request's creation to its claim, by urgency.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600] });
        _escalations = meter.CreateCounter<long>("outreach.requests.escalations", "{request}", "Circles widened: no claim in time, or a coordinator's re-offer.");
        _claimConflicts = meter.CreateCounter<long>("outreach.claims.conflicts", "{claim}", "Claims refused because someone else was first (抢单 lost).");
    }

    /// <summary>Starts the span of a command (null when nobody listens).</summary>
    public static Activity? Start(Guid requestId, RequestCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var activity = Source.StartActivity(SpanName(command));
        activity?.SetTag("outreach.request.id", requestId);
        return activity;
    }

    /// <summary>A stored change: what it did, counted.</summary>
    public void Stored(RequestCommand command, HelpRequestState before, HelpRequestState next, RequestEffects effects, TimeSpan took)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(effects);
        if (next.Request is not { } request)
            return;
        var category = new KeyValuePair<string, object?>("category", request.Category.ToString());
        var urgency = new KeyValuePair<string, object?>("urgency", request.Urgency.ToString());
        if (command is SubmitCommand)
        {
            _created.Add(1, category, urgency);
            _timeToFirstOffer.Record(took.TotalSeconds, urgency);
        }
        if (next.Status != before.Status)
            _transitions.Add(1, new KeyValuePair<string, object?>("status", next.Status.ToString()));
        if (command is SubmitCommand || next.CircleMinutes > before.CircleMinutes || effects.Offer.Length > 0)
            _offers.Record(effects.Offer.Length, urgency);
        if (next.CircleMinutes > before.CircleMinutes && before.Request is not null)
            _escalations.Add(1, urgency, new KeyValuePair<string, object?>("by", command is ReofferCommand ? "coordinator" : "deadline"));
        if (next.ClaimedAt is { } claimed && before.ClaimedAt is null)
            _timeToClaim.Record((claimed - next.CreatedAt).TotalSeconds, urgency);
        Activity.Current?.SetTag("outreach.request.status", next.Status.ToString());
    }

    /// <summary>A refused command; a claim that lost the race is counted.</summary>
    public void Refused(RequestCommand command, Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        if (command is ClaimCommand && refusal.Outcome == DispatchOutcome.AlreadyTaken)
            _claimConflicts.Add(1);
        Activity.Current?.SetTag("outreach.refusal", refusal.Outcome.ToString());
    }

    private static string SpanName(RequestCommand command) => command switch
    {
        SubmitCommand => "request.submit",
        ClaimCommand => "request.claim",
        AdvanceCommand => "request.advance",
        ReleaseCommand => "request.release",
        AssignCommand => "request.assign",
        CancelCommand => "request.cancel",
        FollowUpCommand => "request.followup",
        ReofferCommand => "request.reoffer",
        NoteCommand => "request.note",
        DeadlineCommand => "request.deadline",
        _ => "request.command",
    };
}
