using Outreach.Dispatch;
using Outreach.Grains.Dispatch;
using Outreach.Model;
using static Outreach.Tests.Unit.HelpRequestModelScene;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary>
/// <see cref="HelpRequest"/>: the commands that start another round of offers — the follow-up call, a
/// coordinator's re-offer and the deadlines the sweeper passes.
/// </summary>
[Category(TestCategory.Unit)]
public sealed class HelpRequestModelRoundTests
{
    private static readonly ModelVolunteer Li = ModelVolunteer.Named("Li", 4);
    private static readonly ModelVolunteer Wang = ModelVolunteer.Named("Wang", 7);
    private static readonly ModelVolunteer Zhao = ModelVolunteer.Named("Zhao", 11);
    private static readonly ModelVolunteer Sun = ModelVolunteer.Named("Sun", 20);

    /// <summary>
    /// Offered to Li and Wang, escalated at minute 16 (Zhao joins in the widened circle), claimed by Zhao at 17,
    /// completed at 20: a completed request whose circle is wider than the configured one.
    /// </summary>
    private static HelpRequestState CompletedAfterEscalation()
    {
        var state = Changed(Decide(Offered(Li, Wang), new DeadlineCommand(), WithCandidates(16, Li, Wang, Zhao)));
        state = Changed(Decide(state, new ClaimCommand(Zhao.Actor), WithVolunteer(17, Zhao.Facts())));
        state = Changed(Decide(state, new AdvanceCommand(Zhao.Actor, RequestStatus.EnRoute, null), Facts(18)));
        state = Changed(Decide(state, new AdvanceCommand(Zhao.Actor, RequestStatus.OnSite, null), Facts(19)));
        return Changed(Decide(state, new AdvanceCommand(Zhao.Actor, RequestStatus.Completed, null), Facts(20)));
    }

    [Theory]
    [InlineData(RequestStatus.Offered, true)]
    [InlineData(RequestStatus.Claimed, true)]
    [InlineData(RequestStatus.EnRoute, false)]
    [InlineData(RequestStatus.OnSite, false)]
    [InlineData(RequestStatus.Cancelled, true)]
    [InlineData(RequestStatus.Cancelled, false)]
    public void FollowUp_WhenNotCompleted_ReturnsOutOfOrder(RequestStatus status, bool satisfied) =>
        Refused(Decide(InStatus(status, Li, Wang), new FollowUpCommand(Operator, satisfied, 3, null), WithCandidates(30, Zhao)),
            DispatchOutcome.OutOfOrder);

    [Fact]
    public void FollowUp_WhenSatisfied_IsRecordedAndTheRequestStaysCompleted()
    {
        var current = Completed(Li, Wang);

        var decision = Decide(current, new FollowUpCommand(Operator, Satisfied: true, 5, "very kind"), Facts(60));

        var next = Changed(decision);
        Assert.Equal(RequestStatus.Completed, next.Status);
        Assert.Equal(new FollowUpRecord(At(60), "Olga", true, 5, "very kind"), next.FollowUp);
        Assert.Equal(current.ClosedAt, next.ClosedAt);
        Assert.Equal(current.CompletedAt, next.CompletedAt);
        Assert.Equal(Li.Id, next.AssignedVolunteerId);
        Assert.Equal(current.Version + 1, next.Version);
        var satisfied = next.Timeline[^1];
        Assert.Equal((RequestStatus.Completed, RequestStatus.Completed, "satisfied"), (satisfied.From, satisfied.To, satisfied.Event));
        Assert.Equal("follow-up: satisfied, 5/5: very kind", satisfied.Note);
        Assert.Empty(decision.Effects.Offer);
        Assert.Empty(decision.Effects.LetGo);
        Assert.Null(decision.Effects.AlsoTell);
    }

    [Fact]
    public void FollowUp_OfACompletionAlreadyFollowedUp_IsRefused_TheSameAnswerAgainIsARepeat()
    {
        var answered = Changed(Decide(Completed(Li, Wang), new FollowUpCommand(Operator, Satisfied: true, 5, "very kind"), Facts(60)));

        var other = Decide(answered, new FollowUpCommand(Operator, Satisfied: false, 1, "changed my mind"), WithCandidates(90, Zhao));
        var same = Decide(answered, new FollowUpCommand(Operator, Satisfied: true, 5, "very kind"), Facts(90));

        Refused(other, DispatchOutcome.OutOfOrder);
        Assert.Null(same.Refusal);
        Assert.Null(same.Next);
        Assert.Empty(same.Effects.Offer);
    }

    [Fact]
    public void FollowUp_WhenNotSatisfied_AsksForARoundInTheConfiguredCircleWithoutThePreviousVolunteer()
    {
        var current = CompletedAfterEscalation();
        Assert.Equal(Options.WidenedCircleMinutes, current.CircleMinutes);

        var needs = Needs(Decide(current, new FollowUpCommand(Operator, Satisfied: false, 1, "nobody came"), Facts(60)));

        var query = Assert.IsType<CandidateQuery>(needs.Candidates);
        Assert.Equal(Options.CircleMinutes, query.CircleMinutes);
        Assert.Equal([Zhao.Id], query.Excluded);
        Assert.Equal(HelpCategory.Medicine, query.Skill);
        Assert.Equal(Family, query.Position);
    }

    [Fact]
    public void FollowUp_WhenNotSatisfied_ReopensAndOffersItToOthers()
    {
        var current = CompletedAfterEscalation();
        Assert.True(current.Escalated);

        var decision = Decide(current, new FollowUpCommand(Operator, Satisfied: false, 1, "nobody came"), WithCandidates(60, Li, Sun));

        var next = Changed(decision);
        Assert.Equal(RequestStatus.Offered, next.Status);
        Assert.Equal(new FollowUpRecord(At(60), "Olga", false, 1, "nobody came"), next.FollowUp);
        Assert.Equal(Options.CircleMinutes, next.CircleMinutes);
        Assert.False(next.Escalated);
        SameVolunteers([Zhao], next.Excluded);
        SameVolunteers([Li, Sun], next.Offers.Keys);
        Assert.Equal(At(60), next.Offers[Li.Id].At);
        Assert.Null(next.ClosedAt);
        Assert.Null(next.CompletedAt);
        Assert.Null(next.AssignedVolunteerId);
        Assert.Null(next.AssignedVolunteerName);
        Assert.Null(next.ClaimedAt);
        Assert.Null(next.EnRouteAt);
        Assert.Null(next.OnSiteAt);
        Assert.False(next.IsClosed);
        Assert.Equal(At(60) + Options.RoutineClaimDeadline, next.DeadlineAt);
        Assert.Equal(current.Version + 1, next.Version);
        var reopened = next.Timeline[^1];
        Assert.Equal((RequestStatus.Completed, RequestStatus.Offered, "notSatisfied"), (reopened.From, reopened.To, reopened.Event));
        Assert.Equal("follow-up: not satisfied, 1/5: nobody came; reopened; offered to 2 volunteer(s)", reopened.Note);
        SameVolunteers([Li, Sun], decision.Effects.Offer);
        Assert.Equal(Zhao.Id, decision.Effects.AlsoTell);
        Assert.Empty(decision.Effects.LetGo); // Zhao let go when it was completed
        Assert.Null(decision.Effects.TakeOn);
    }

    [Theory]
    [InlineData(RequestStatus.Claimed)]
    [InlineData(RequestStatus.EnRoute)]
    [InlineData(RequestStatus.OnSite)]
    [InlineData(RequestStatus.Completed)]
    [InlineData(RequestStatus.Cancelled)]
    public void Reoffer_WhenNotOffered_ReturnsOutOfOrder(RequestStatus status) =>
        Refused(Decide(InStatus(status, Li, Wang), new ReofferCommand(Coordinator, null), WithCandidates(9, Zhao)), DispatchOutcome.OutOfOrder);

    [Fact]
    public void Reoffer_WithoutCandidates_AsksForTheWidenedCircle()
    {
        var releasedByLi = Changed(Decide(Claimed(Li, Wang), new ReleaseCommand(Li.Actor, "flat tyre"), WithCandidates(2, Wang)));

        var needs = Needs(Decide(releasedByLi, new ReofferCommand(Coordinator, null), Facts(3)));

        var query = Assert.IsType<CandidateQuery>(needs.Candidates);
        Assert.Equal(Options.WidenedCircleMinutes, query.CircleMinutes);
        Assert.Equal([Li.Id], query.Excluded);
        Assert.Equal(HelpCategory.Medicine, query.Skill);
        Assert.False(query.IgnoreCapacity);
    }

    [Fact]
    public void Reoffer_WithCandidates_WidensEscalatesAndOffersOnlyToTheNewcomers()
    {
        var current = Offered(Li, Wang);

        var decision = Decide(current, new ReofferCommand(Coordinator, "nobody nearby"), WithCandidates(3, Wang, Zhao, Sun));

        var next = Changed(decision);
        Assert.Equal(RequestStatus.Offered, next.Status);
        Assert.True(next.Escalated);
        Assert.Equal(Options.WidenedCircleMinutes, next.CircleMinutes);
        SameVolunteers([Li, Wang, Zhao, Sun], next.Offers.Keys);
        Assert.Equal(current.Offers[Wang.Id], next.Offers[Wang.Id]); // a standing offer is not made again
        Assert.Equal(new OfferRecord(Zhao.EtaMinutes, Zhao.Candidate.DistanceM, At(3)), next.Offers[Zhao.Id]);
        Assert.Equal(At(3) + Options.RoutineClaimDeadline, next.DeadlineAt);
        Assert.Equal(current.Version + 1, next.Version);
        var widened = next.Timeline[^1];
        Assert.Equal((RequestStatus.Offered, RequestStatus.Offered, "widened", "Chen"), (widened.From, widened.To, widened.Event, widened.Actor));
        Assert.Equal("circle widened by Chen: nobody nearby: escalated, circle 30 min, offered to 2 more volunteer(s)", widened.Note);
        Assert.Equal("30", widened.Details!["circle"]);
        Assert.Equal("2", widened.Details["count"]);
        SameVolunteers([Zhao, Sun], decision.Effects.Offer);
        Assert.Empty(decision.Effects.Withdraw);
    }

    [Fact]
    public void Reoffer_WhenNobodyNew_StillEscalatesAndMovesTheDeadline()
    {
        var decision = Decide(Offered(Li, Wang), new ReofferCommand(Coordinator, null), WithCandidates(3, Li));

        var next = Changed(decision);
        Assert.True(next.Escalated);
        Assert.Equal(At(3) + Options.RoutineClaimDeadline, next.DeadlineAt);
        Assert.Empty(decision.Effects.Offer);
    }

    [Fact]
    public void Deadline_WhenThereIsNoRequest_DoesNothing()
    {
        var effects = Repeated(Decide(new HelpRequestState(), new DeadlineCommand(), Facts(0)));

        Assert.True(effects.IsEmpty);
    }

    [Theory]
    [InlineData(RequestStatus.Completed)]
    [InlineData(RequestStatus.Cancelled)]
    [InlineData(RequestStatus.EnRoute)]
    [InlineData(RequestStatus.OnSite)]
    public void Deadline_WhenClosedOrNoDeadlineRuns_DoesNothing(RequestStatus status)
    {
        var effects = Repeated(Decide(InStatus(status, Li, Wang), new DeadlineCommand(), Facts(60)));

        Assert.True(effects.IsEmpty);
    }

    [Fact]
    public void Deadline_WhenClosedWithAStaleDeadline_DoesNothing()
    {
        var stale = Completed(Li, Wang).Copy();
        stale.DeadlineAt = At(5);

        var effects = Repeated(Decide(stale, new DeadlineCommand(), Facts(60)));

        Assert.True(effects.IsEmpty);
    }

    [Theory]
    [InlineData(RequestStatus.Offered, 14.9)]
    [InlineData(RequestStatus.Claimed, 5.9)]
    public void Deadline_BeforeItRunsOut_DoesNothing(RequestStatus status, double minutes)
    {
        // The sweep read the deadline as due, and the request moved it (a claim, a widening) before the call arrived.
        var effects = Repeated(Decide(InStatus(status, Li, Wang), new DeadlineCommand(), WithCandidates(minutes, Zhao)));

        Assert.True(effects.IsEmpty);
    }

    [Fact]
    public void Claim_OfAnEmergency_MovesTheDeadlineLater_ToTheEnRouteDeadline()
    {
        var offered = Offered(Urgency.Emergency, Li, Wang); // claim deadline 2 min, en-route deadline 5 min after the claim

        var decision = Decide(offered, new ClaimCommand(Li.Actor), WithVolunteer(1, Li.Facts()));

        Assert.True(Changed(decision).DeadlineAt > offered.DeadlineAt);
    }

    [Fact]
    public void Claim_OfARoutineRequest_MovesTheDeadlineEarlier_ToTheEnRouteDeadline()
    {
        var offered = Offered(Urgency.Routine, Li, Wang); // claim deadline 15 min: the en-route one (1 + 5 min) is earlier

        var decision = Decide(offered, new ClaimCommand(Li.Actor), WithVolunteer(1, Li.Facts()));

        Assert.True(Changed(decision).DeadlineAt < offered.DeadlineAt);
    }

    [Fact]
    public void Claim_AfterTheClaimDeadline_BeforeTheSweepPassedIt_Wins_AndRunsTheEnRouteDeadline()
    {
        var offered = Offered(Li, Wang);
        var overdue = (offered.DeadlineAt!.Value - At(0)).TotalMinutes + 0.5;

        var next = Changed(Decide(offered, new ClaimCommand(Li.Actor), WithVolunteer(overdue, Li.Facts())));

        Assert.Equal(RequestStatus.Claimed, next.Status);
        Assert.Equal(At(overdue) + Options.EnRouteDeadline, next.DeadlineAt);
    }

    [Fact]
    public void Deadline_ThatWidens_MovesTheDeadlineLater()
    {
        var offered = Offered(Li, Wang);
        var due = (offered.DeadlineAt!.Value - At(0)).TotalMinutes;

        var decision = Decide(offered, new DeadlineCommand(), WithCandidates(due, Zhao));

        Assert.True(Changed(decision).DeadlineAt > offered.DeadlineAt);
    }

    [Theory]
    [InlineData(15)]
    [InlineData(40)]
    public void Deadline_WhenOfferedAndRunOut_AsksForTheWidenedCircle(double minutes)
    {
        var needs = Needs(Decide(Offered(Li, Wang), new DeadlineCommand(), Facts(minutes)));

        var query = Assert.IsType<CandidateQuery>(needs.Candidates);
        Assert.Equal(Options.WidenedCircleMinutes, query.CircleMinutes);
        Assert.Empty(query.Excluded);
    }

    [Fact]
    public void Deadline_WhenOfferedAndRunOut_WidensAndOffersToTheNewcomers()
    {
        var current = Offered(Urgency.Urgent, Li, Wang);

        var decision = Decide(current, new DeadlineCommand(), WithCandidates(6, Wang, Zhao));

        var next = Changed(decision);
        Assert.Equal(RequestStatus.Offered, next.Status);
        Assert.True(next.Escalated);
        Assert.Equal(Options.WidenedCircleMinutes, next.CircleMinutes);
        SameVolunteers([Li, Wang, Zhao], next.Offers.Keys);
        Assert.Equal(At(6) + Options.UrgentClaimDeadline, next.DeadlineAt);
        var noClaim = next.Timeline[^1];
        Assert.Equal(("system", "noClaim", RequestStatus.Offered), (noClaim.Actor, noClaim.Event, noClaim.To));
        Assert.Equal("no claim within 5 min: escalated, circle 30 min, offered to 1 more volunteer(s)", noClaim.Note);
        Assert.Equal("5", noClaim.Details!["minutes"]);
        Assert.Equal([Zhao.Id], decision.Effects.Offer);
    }

    [Fact]
    public void Deadline_WhenClaimedAndRunOut_AsksForARoundWithoutTheAssignee()
    {
        var needs = Needs(Decide(Claimed(Li, Wang), new DeadlineCommand(), Facts(6)));

        var query = Assert.IsType<CandidateQuery>(needs.Candidates);
        Assert.Equal(Options.CircleMinutes, query.CircleMinutes);
        Assert.Equal([Li.Id], query.Excluded);
    }

    [Fact]
    public void Deadline_WhenClaimedAndRunOut_OffersItAgainWithoutTheAssignee()
    {
        var current = Claimed(Li, Wang);

        var decision = Decide(current, new DeadlineCommand(), WithCandidates(7, Wang, Zhao));

        var next = Changed(decision);
        Assert.Equal(RequestStatus.Offered, next.Status);
        Assert.Null(next.AssignedVolunteerId);
        Assert.Null(next.ClaimedAt);
        SameVolunteers([Li], next.Excluded);
        SameVolunteers([Wang, Zhao], next.Offers.Keys);
        Assert.False(next.Escalated);
        Assert.Equal(At(7) + Options.RoutineClaimDeadline, next.DeadlineAt);
        var notEnRoute = next.Timeline[^1];
        Assert.Equal(("system", "notEnRoute", RequestStatus.Claimed, RequestStatus.Offered),
            (notEnRoute.Actor, notEnRoute.Event, notEnRoute.From, notEnRoute.To));
        Assert.Equal("Li did not set off within 5 min; offered again; offered to 2 volunteer(s)", notEnRoute.Note);
        SameVolunteers([Wang, Zhao], decision.Effects.Offer);
        Assert.Equal(Li.Id, decision.Effects.AlsoTell);
        Assert.Equal([new LetGo(Li.Id, Completed: false)], decision.Effects.LetGo);
    }

    [Theory]
    [InlineData(RequestStatus.EnRoute)]
    [InlineData(RequestStatus.OnSite)]
    public void Deadline_WhenUnderWayWithAStaleDeadline_ClearsIt(RequestStatus status)
    {
        var stale = InStatus(status, Li, Wang).Copy();
        stale.DeadlineAt = At(6);

        var decision = Decide(stale, new DeadlineCommand(), WithCandidates(7, Zhao));

        var next = Changed(decision);
        Assert.Equal(status, next.Status);
        Assert.Null(next.DeadlineAt);
        Assert.Equal(Li.Id, next.AssignedVolunteerId);
        Assert.Equal(stale.Version, next.Version);
        Assert.Equal(stale.Timeline.Count, next.Timeline.Count);
        Assert.Empty(decision.Effects.Offer);
        Assert.Empty(decision.Effects.LetGo);
    }
}
