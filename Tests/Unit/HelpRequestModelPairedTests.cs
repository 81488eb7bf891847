using Outreach.Dispatch;
using Outreach.Grains.Dispatch;
using Outreach.Model;
using static Outreach.Tests.Unit.HelpRequestModelScene;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary>
/// <see cref="HelpRequest"/>: the paired helper's exclusive window (一对一结对) — a family's request goes first to the
/// volunteer paired with it, alone, for the window of its urgency (<see cref="CareOptions"/>: 60 s routine, 30 s urgent,
/// none for an emergency), and when the deadline sweeper finds the window over, to the whole circle.
/// </summary>
[Category(TestCategory.Unit)]
public sealed class HelpRequestModelPairedTests
{
    private static readonly Guid Family = Guid.NewGuid();
    private static readonly ModelVolunteer Paired = ModelVolunteer.Named("Liu", 9);
    private static readonly ModelVolunteer Li = ModelVolunteer.Named("Li", 4);
    private static readonly ModelVolunteer Wang = ModelVolunteer.Named("Wang", 7);

    private static NewHelpRequest FamilyRequest(Urgency urgency = Urgency.Routine) => Request(urgency) with { WorkerId = Family };

    private static PairedHelperFacts OnDuty(ModelVolunteer v) => new(v.Id, v.View(), HasPushDevice: false);

    /// <summary>Intake facts for the family: the station, the circle (<paramref name="circle"/>) and the paired helpers.</summary>
    private static RequestFacts FamilyIntake(PairedHelperFacts[] paired, params ModelVolunteer[] circle) =>
        Intake(0, circle) with { Paired = paired };

    private static Decision Submit(Urgency urgency, PairedHelperFacts[] paired, params ModelVolunteer[] circle) =>
        Decide(new HelpRequestState(), new SubmitCommand(Operator, FamilyRequest(urgency)), FamilyIntake(paired, circle));

    /// <summary>A routine request offered to <see cref="Paired"/> alone at minute 0, the circle being Li and Wang.</summary>
    private static HelpRequestState InWindow() => Changed(Submit(Urgency.Routine, [OnDuty(Paired)], Li, Wang, Paired));

    [Fact]
    public void Submit_ForAFamilyFile_AsksForItsPairedHelpersWithTheOtherFacts()
    {
        var needs = Needs(Decide(new HelpRequestState(), new SubmitCommand(Operator, FamilyRequest()), Intake(0, Li)));

        Assert.Equal(Family, needs.PairedOf);
        Assert.NotNull(needs.Candidates);
    }

    [Fact]
    public void Submit_WithoutAFamilyFile_DoesNotAskForPairedHelpers()
    {
        var needs = Needs(Decide(new HelpRequestState(), new SubmitCommand(Operator, Request()), Facts(0)));

        Assert.Null(needs.PairedOf);
    }

    [Theory]
    [InlineData(Urgency.Routine, 60)]
    [InlineData(Urgency.Urgent, 30)]
    public void Submit_WithAPairedHelperOnDutyWithTheSkill_OffersToThemAloneForTheWindow(Urgency urgency, int seconds)
    {
        var decision = Submit(urgency, [OnDuty(Paired)], Li, Wang, Paired);

        var next = Changed(decision);
        Assert.Equal(RequestStatus.Offered, next.Status);
        SameVolunteers([Paired], next.Offers.Keys);
        SameVolunteers([Paired], decision.Effects.Offer);
        Assert.Equal(Now.AddSeconds(seconds), next.PairedUntil);
        Assert.Equal(next.PairedUntil, next.DeadlineAt);
        Assert.Equal(Paired.EtaMinutes, next.Offers[Paired.Id].EtaMinutes); // the circle's estimate, since they are in it
        var first = next.Timeline[^1];
        Assert.Equal((RequestStatus.New, RequestStatus.Offered, "pairedFirst"), (first.From, first.To, first.Event));
        Assert.Equal($"offered to the paired helper first (1), alone for {seconds} s", first.Note);
        Assert.Equal(seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), first.Details!["seconds"]);
    }

    [Fact]
    public void Submit_AnEmergency_GoesToEveryoneAtOnce_WithoutAskingForPairedHelpers()
    {
        var submit = new SubmitCommand(Operator, FamilyRequest(Urgency.Emergency));

        var needs = Needs(Decide(new HelpRequestState(), submit, Facts(0)));
        var next = Changed(Decide(new HelpRequestState(), submit, Intake(0, Li, Wang, Paired)));

        Assert.Null(needs.PairedOf);
        SameVolunteers([Li, Wang, Paired], next.Offers.Keys);
        Assert.Null(next.PairedUntil);
        Assert.DoesNotContain(next.Timeline, e => e.Event == "pairedFirst");
    }

    [Fact]
    public void Submit_WhenTheWindowIsConfiguredZero_GoesToTheCircleAtOnce()
    {
        var rules = new HelpRequest(Options, new CareOptions { PairedWindow = { Routine = TimeSpan.Zero } });

        var next = rules.Decide(new HelpRequestState(), new SubmitCommand(Operator, FamilyRequest()), FamilyIntake([OnDuty(Paired)], Li)).Next!;

        SameVolunteers([Li], next.Offers.Keys);
        Assert.Null(next.PairedUntil);
    }

    [Fact]
    public void Submit_WithThePairedHelperOffDutyAndNoPushDevice_GoesToTheCircleAtOnce()
    {
        var next = Changed(Submit(Urgency.Routine, [new(Paired.Id, Paired.View(onDuty: false), HasPushDevice: false)], Li, Wang));

        SameVolunteers([Li, Wang], next.Offers.Keys);
        Assert.Null(next.PairedUntil);
        Assert.Equal(At(0) + Options.RoutineClaimDeadline, next.DeadlineAt);
        Assert.Equal("offered", next.Timeline[^1].Event);
    }

    [Fact]
    public void Submit_WithThePairedHelperOffDutyButWithAPushDevice_OffersToThemAlone()
    {
        var decision = Submit(Urgency.Routine, [new(Paired.Id, Paired.View(onDuty: false), HasPushDevice: true)], Li, Wang);

        var next = Changed(decision);
        SameVolunteers([Paired], next.Offers.Keys);
        Assert.Equal(0, next.Offers[Paired.Id].EtaMinutes); // no position: not in the circle, no estimate
        Assert.Equal(At(1), next.PairedUntil);
    }

    [Fact]
    public void Submit_WithAPairedHelperWithoutTheSkill_GoesToTheCircleAtOnce()
    {
        var next = Changed(Submit(Urgency.Routine, [new(Paired.Id, Paired.View(skills: [HelpCategory.Meals]), false)], Li, Wang));

        SameVolunteers([Li, Wang], next.Offers.Keys);
        Assert.Null(next.PairedUntil);
    }

    [Fact]
    public void Submit_WithAPairedIdThatIsNoLongerAVolunteer_GoesToTheCircleAtOnce()
    {
        var next = Changed(Submit(Urgency.Routine, [new(Paired.Id, null, true)], Li));

        SameVolunteers([Li], next.Offers.Keys);
        Assert.Null(next.PairedUntil);
    }

    [Fact]
    public void Submit_WithAPairedHelperAtCapacity_GoesToTheCircleAtOnce()
    {
        var full = Paired.View() with { ActiveRequests = [Guid.NewGuid(), Guid.NewGuid()] }; // capacity 2

        var next = Changed(Submit(Urgency.Routine, [new(Paired.Id, full, false)], Li));

        SameVolunteers([Li], next.Offers.Keys);
    }

    [Fact]
    public void Submit_WithTwoPairedHelpers_OffersToBothOfThemAloneAndLeavesOutTheIneligible()
    {
        var second = ModelVolunteer.Named("Ma", 30);
        var third = ModelVolunteer.Named("Xu", 3);

        var next = Changed(Submit(Urgency.Routine,
            [OnDuty(Paired), new(second.Id, second.View(onDuty: false), true), new(third.Id, third.View(onDuty: false), false)], Li));

        SameVolunteers([Paired, second], next.Offers.Keys);
        Assert.Equal("2", next.Timeline[^1].Details!["count"]);
    }

    [Fact]
    public void Claim_ByThePairedHelperWithinTheWindow_Wins()
    {
        var decision = Decide(InWindow(), new ClaimCommand(Paired.Actor), WithVolunteer(0.5, Paired.Facts()));

        var next = Changed(decision);
        Assert.Equal(RequestStatus.Claimed, next.Status);
        Assert.Equal(Paired.Id, next.AssignedVolunteerId);
        Assert.Null(next.PairedUntil);
        Assert.Equal(At(0.5) + Options.EnRouteDeadline, next.DeadlineAt);
    }

    [Fact]
    public void Claim_BySomeoneInTheCircleWithinTheWindow_IsForbidden() =>
        Refused(Decide(InWindow(), new ClaimCommand(Li.Actor), WithVolunteer(0.5, Li.Facts())), DispatchOutcome.Forbidden);

    [Fact]
    public void Deadline_BeforeTheWindowEnds_DoesNothing() =>
        Assert.True(Repeated(Decide(InWindow(), new DeadlineCommand(), WithCandidates(0.5, Li))).IsEmpty);

    [Fact]
    public void Deadline_WhenTheWindowIsOver_AsksForTheCircleNotTheWidenedOne()
    {
        var needs = Needs(Decide(InWindow(), new DeadlineCommand(), Facts(1)));

        var query = Assert.IsType<CandidateQuery>(needs.Candidates);
        Assert.Equal(Options.CircleMinutes, query.CircleMinutes);
    }

    [Fact]
    public void Deadline_WhenTheWindowIsOver_OffersToTheWholeCircle_AndThePairedHelperKeepsTheirOffer()
    {
        var decision = Decide(InWindow(), new DeadlineCommand(), WithCandidates(1, Li, Wang, Paired));

        var next = Changed(decision);
        Assert.Equal(RequestStatus.Offered, next.Status);
        SameVolunteers([Li, Wang, Paired], next.Offers.Keys);
        SameVolunteers([Li, Wang], decision.Effects.Offer); // the paired helper was offered already
        Assert.Null(next.PairedUntil);
        Assert.False(next.Escalated);
        Assert.Equal(Options.CircleMinutes, next.CircleMinutes);
        Assert.Equal(At(1) + Options.RoutineClaimDeadline, next.DeadlineAt);
        var over = next.Timeline[^1];
        Assert.Equal(("pairedWindowOver", "system"), (over.Event, over.Actor));
        Assert.Equal("2", over.Details!["count"]);

        var claimed = Changed(Decide(next, new ClaimCommand(Li.Actor), WithVolunteer(2, Li.Facts())));
        Assert.Equal(Li.Id, claimed.AssignedVolunteerId);
    }

    [Fact]
    public void Deadline_AfterTheCircleHadItsTurn_EscalatesAsAnyRequest()
    {
        var circle = Changed(Decide(InWindow(), new DeadlineCommand(), WithCandidates(1, Li)));

        var next = Changed(Decide(circle, new DeadlineCommand(), WithCandidates(1 + Options.RoutineClaimDeadline.TotalMinutes, Li, Wang)));

        Assert.True(next.Escalated);
        Assert.Equal("noClaim", next.Timeline[^1].Event);
    }

    [Fact]
    public void Reoffer_WithinTheWindow_EndsIt()
    {
        var next = Changed(Decide(InWindow(), new ReofferCommand(Coordinator, "no time to wait"), WithCandidates(0.5, Li, Wang)));

        Assert.Null(next.PairedUntil);
        SameVolunteers([Paired, Li, Wang], next.Offers.Keys);
    }
}
