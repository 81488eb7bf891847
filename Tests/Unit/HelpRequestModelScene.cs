using System.Text.Json;
using Outreach.Dispatch;
using Outreach.Grains.Dispatch;
using Outreach.Model;
using Outreach.Volunteers;

namespace Outreach.Tests.Unit;

/// <summary>A volunteer of the model tests: the same person as an actor, a candidate and a profile.</summary>
internal sealed record ModelVolunteer(Guid Id, Guid AccountId, string Name, double EtaMinutes)
{
    public static ModelVolunteer Named(string name, double etaMinutes = 6) => new(Guid.NewGuid(), Guid.NewGuid(), name, etaMinutes);

    public string Phone => $"+86 138 0000 {Name.Length:0000}";

    public Actor Actor => new(AccountId, Name, Id);

    public Candidate Candidate => new(Id, Name, EtaMinutes, EtaMinutes * 75, TravelMode.Walk);

    public VolunteerView View(bool onDuty = true, HelpCategory[]? skills = null, VolunteerPosition? position = null) =>
        new(Id, new VolunteerProfile(Name, Phone, skills ?? [HelpCategory.Medicine], TravelMode.Walk, null, Capacity: 2),
            onDuty, position, HelpRequestModelScene.Now, HelpRequestModelScene.Now);

    public VolunteerFacts Facts(bool hasRoom = true) => new(Id, View(), hasRoom);
}

/// <summary>
/// The model with the default options, a fixed clock and builders that reach each status through the model's
/// own transitions: submitted at minute 0, claimed at 1, en route at 2, on site at 3, completed at 4.
/// Every decision goes through <see cref="Decide"/>, which also checks that the current state was left as it was.
/// </summary>
internal static class HelpRequestModelScene
{
    public static readonly DispatchOptions Options = new();
    public static readonly HelpRequest Rules = new(Options);
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    public static readonly GeoPoint Family = new(35.7600, 115.0300);
    public static readonly Guid Station = Guid.NewGuid();
    public static readonly Actor Operator = new(Guid.NewGuid(), "Olga");
    public static readonly Actor Coordinator = new(Guid.NewGuid(), "Chen");

    /// <summary><paramref name="minutes"/> after <see cref="Now"/>.</summary>
    public static DateTimeOffset At(double minutes) => Now.AddMinutes(minutes);

    public static NewHelpRequest Request(Urgency urgency = Urgency.Routine) =>
        new(null, "+86 139 0000 0000", HelpCategory.Medicine, urgency, Family, "3 Elm Lane", "insulin for grandmother");

    public static RequestFacts Facts(double minutes) => new(At(minutes));

    public static RequestFacts WithCandidates(double minutes, params ModelVolunteer[] volunteers) =>
        new(At(minutes)) { Candidates = [.. volunteers.Select(v => v.Candidate)] };

    public static RequestFacts WithVolunteer(double minutes, VolunteerFacts volunteer) => new(At(minutes)) { Volunteer = volunteer };

    /// <summary>Everything an intake needs: the station and the candidates.</summary>
    public static RequestFacts Intake(double minutes, params ModelVolunteer[] volunteers) =>
        WithCandidates(minutes, volunteers) with { StationKnown = true, StationId = Station };

    /// <summary>The model's decision, checking that <paramref name="current"/> is exactly as it was before.</summary>
    public static Decision Decide(HelpRequestState current, RequestCommand command, RequestFacts facts)
    {
        var before = Snapshot(current);
        var decision = Rules.Decide(current, command, facts);
        Assert.Equal(before, Snapshot(current));
        return decision;
    }

    public static string Snapshot(HelpRequestState state) => JsonSerializer.Serialize(state);

    /// <summary>The next state of a decision that changes the request.</summary>
    public static HelpRequestState Changed(Decision decision)
    {
        Assert.Null(decision.Refusal);
        Assert.Null(decision.Needs);
        Assert.NotNull(decision.Next);
        Assert.True(decision.Effects.Announce, "a change is announced");
        return decision.Next;
    }

    public static Refusal Refused(Decision decision, DispatchOutcome outcome)
    {
        var refusal = Assert.IsType<Refusal>(decision.Refusal);
        Assert.Equal(outcome, refusal.Outcome);
        Assert.Null(decision.Next);
        Assert.Null(decision.Needs);
        Assert.True(decision.Effects.IsEmpty, "a refusal has no effects");
        return refusal;
    }

    public static FactsNeeded Needs(Decision decision)
    {
        Assert.Null(decision.Refusal);
        Assert.Null(decision.Next);
        Assert.True(decision.Effects.IsEmpty, "a question for facts has no effects");
        return Assert.IsType<FactsNeeded>(decision.Needs);
    }

    /// <summary>The effects of a decision that changes nothing.</summary>
    public static RequestEffects Repeated(Decision decision)
    {
        Assert.Null(decision.Refusal);
        Assert.Null(decision.Needs);
        Assert.Null(decision.Next);
        Assert.False(decision.Effects.Announce, "nothing changed, so nothing is announced");
        return decision.Effects;
    }

    public static HelpRequestState Offered(params ModelVolunteer[] candidates) => Offered(Urgency.Routine, candidates);

    public static HelpRequestState Offered(Urgency urgency, params ModelVolunteer[] candidates) =>
        Changed(Decide(new HelpRequestState(), new SubmitCommand(Operator, Request(urgency)), Intake(0, candidates)));

    public static HelpRequestState Claimed(ModelVolunteer winner, params ModelVolunteer[] others) =>
        Changed(Decide(Offered([winner, .. others]), new ClaimCommand(winner.Actor), WithVolunteer(1, winner.Facts())));

    public static HelpRequestState EnRoute(ModelVolunteer winner, params ModelVolunteer[] others) =>
        Advance(Claimed(winner, others), winner, RequestStatus.EnRoute, 2);

    public static HelpRequestState OnSite(ModelVolunteer winner, params ModelVolunteer[] others) =>
        Advance(EnRoute(winner, others), winner, RequestStatus.OnSite, 3);

    public static HelpRequestState Completed(ModelVolunteer winner, params ModelVolunteer[] others) =>
        Advance(OnSite(winner, others), winner, RequestStatus.Completed, 4);

    /// <summary>Cancelled while it was offered to <paramref name="candidates"/>.</summary>
    public static HelpRequestState Cancelled(params ModelVolunteer[] candidates) =>
        Changed(Decide(Offered(candidates), new CancelCommand(Operator, "the family found help"), Facts(1)));

    /// <summary>Cancelled after <paramref name="winner"/> claimed it.</summary>
    public static HelpRequestState CancelledAfterClaim(ModelVolunteer winner, params ModelVolunteer[] others) =>
        Changed(Decide(Claimed(winner, others), new CancelCommand(Operator, "the family found help"), Facts(2)));

    /// <summary>
    /// A request in <paramref name="status"/>, offered to <paramref name="winner"/> and <paramref name="others"/>;
    /// from Claimed on, <paramref name="winner"/> claimed it; Cancelled is cancelled while offered.
    /// </summary>
    public static HelpRequestState InStatus(RequestStatus status, ModelVolunteer winner, params ModelVolunteer[] others) => status switch
    {
        RequestStatus.Offered => Offered([winner, .. others]),
        RequestStatus.Claimed => Claimed(winner, others),
        RequestStatus.EnRoute => EnRoute(winner, others),
        RequestStatus.OnSite => OnSite(winner, others),
        RequestStatus.Completed => Completed(winner, others),
        RequestStatus.Cancelled => Cancelled([winner, .. others]),
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "The model never stores a request in this status."),
    };

    private static HelpRequestState Advance(HelpRequestState state, ModelVolunteer assignee, RequestStatus to, double minutes) =>
        Changed(Decide(state, new AdvanceCommand(assignee.Actor, to, null), Facts(minutes)));

    /// <summary>Asserts that two lists hold the same volunteers, in any order.</summary>
    public static void SameVolunteers(IEnumerable<Guid> expected, IEnumerable<Guid> actual) =>
        Assert.Equal(expected.Order(), actual.Order());

    public static void SameVolunteers(IEnumerable<ModelVolunteer> expected, IEnumerable<Guid> actual) =>
        SameVolunteers(expected.Select(v => v.Id), actual);
}
