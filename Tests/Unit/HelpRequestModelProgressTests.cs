using Outreach.Dispatch;
using Outreach.Grains.Dispatch;
using Outreach.Model;
using static Outreach.Tests.Unit.HelpRequestModelScene;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary><see cref="HelpRequest"/>: the assignee reports each step (Advance) or cannot go (Release).</summary>
[Category(TestCategory.Unit)]
public sealed class HelpRequestModelProgressTests
{
    private static readonly ModelVolunteer Li = ModelVolunteer.Named("Li", 4);
    private static readonly ModelVolunteer Wang = ModelVolunteer.Named("Wang", 7);
    private static readonly ModelVolunteer Zhao = ModelVolunteer.Named("Zhao", 11);

    [Fact]
    public void Advance_FromClaimedToEnRoute_RecordsTheStartAndClearsTheDeadline()
    {
        var current = Claimed(Li, Wang);

        var decision = Decide(current, new AdvanceCommand(Li.Actor, RequestStatus.EnRoute, "on my bike"), Facts(2));

        var next = Changed(decision);
        Assert.Equal(RequestStatus.EnRoute, next.Status);
        Assert.Equal(At(2), next.EnRouteAt);
        Assert.Null(next.DeadlineAt);
        Assert.Equal(Li.Id, next.AssignedVolunteerId);
        Assert.Equal(current.Version + 1, next.Version);
        Assert.Equal(new TimelineEntry(At(2), "Li", RequestStatus.Claimed, RequestStatus.EnRoute, "on my bike", ActorId: Li.AccountId), next.Timeline[^1]);
        Assert.Empty(decision.Effects.LetGo);
        Assert.Null(decision.Effects.TakeOn);
    }

    [Fact]
    public void Advance_FromEnRouteToOnSite_RecordsTheArrival()
    {
        var current = EnRoute(Li, Wang);

        var decision = Decide(current, new AdvanceCommand(Li.Actor, RequestStatus.OnSite, null), Facts(3));

        var next = Changed(decision);
        Assert.Equal(RequestStatus.OnSite, next.Status);
        Assert.Equal(At(3), next.OnSiteAt);
        Assert.Equal(At(2), next.EnRouteAt);
        Assert.Null(next.DeadlineAt);
        Assert.Equal(current.Version + 1, next.Version);
        Assert.Equal(new TimelineEntry(At(3), "Li", RequestStatus.EnRoute, RequestStatus.OnSite, null, ActorId: Li.AccountId), next.Timeline[^1]);
        Assert.Empty(decision.Effects.LetGo);
    }

    [Fact]
    public void Advance_FromOnSiteToCompleted_ClosesAndCountsTheService()
    {
        var current = OnSite(Li, Wang);

        var decision = Decide(current, new AdvanceCommand(Li.Actor, RequestStatus.Completed, "medicine delivered"), Facts(4));

        var next = Changed(decision);
        Assert.Equal(RequestStatus.Completed, next.Status);
        Assert.Equal(At(4), next.CompletedAt);
        Assert.Equal(At(4), next.ClosedAt);
        Assert.Null(next.DeadlineAt);
        Assert.True(next.IsClosed);
        Assert.Equal(Li.Id, next.AssignedVolunteerId);
        Assert.Equal(current.Version + 1, next.Version);
        Assert.Equal(new TimelineEntry(At(4), "Li", RequestStatus.OnSite, RequestStatus.Completed, "medicine delivered", ActorId: Li.AccountId), next.Timeline[^1]);
        Assert.Equal([new LetGo(Li.Id, Completed: true)], decision.Effects.LetGo);
        Assert.Null(decision.Effects.TakeOn);
    }

    [Theory]
    [InlineData(RequestStatus.Claimed)]
    [InlineData(RequestStatus.EnRoute)]
    [InlineData(RequestStatus.OnSite)]
    public void Advance_RepeatedByTheAssignee_ChangesNothingAndTakesItOnAgain(RequestStatus status)
    {
        var effects = Repeated(Decide(InStatus(status, Li, Wang), new AdvanceCommand(Li.Actor, status, null), Facts(9)));

        Assert.Equal(Li.Id, effects.TakeOn);
        Assert.Empty(effects.LetGo);
    }

    [Fact]
    public void Advance_CompletedRepeatedByTheAssignee_ChangesNothingAndLetsGoAsCompletedAgain()
    {
        var effects = Repeated(Decide(Completed(Li, Wang), new AdvanceCommand(Li.Actor, RequestStatus.Completed, null), Facts(9)));

        Assert.Equal([new LetGo(Li.Id, Completed: true)], effects.LetGo);
        Assert.Null(effects.TakeOn);
    }

    [Theory]
    [InlineData(RequestStatus.Claimed, RequestStatus.OnSite)]
    [InlineData(RequestStatus.Claimed, RequestStatus.Completed)]
    [InlineData(RequestStatus.EnRoute, RequestStatus.Completed)]
    [InlineData(RequestStatus.EnRoute, RequestStatus.Claimed)]
    [InlineData(RequestStatus.OnSite, RequestStatus.EnRoute)]
    [InlineData(RequestStatus.OnSite, RequestStatus.Offered)]
    [InlineData(RequestStatus.Claimed, RequestStatus.Cancelled)]
    public void Advance_NotToTheNextStep_ReturnsOutOfOrder(RequestStatus from, RequestStatus to) =>
        Refused(Decide(InStatus(from, Li, Wang), new AdvanceCommand(Li.Actor, to, null), Facts(9)), DispatchOutcome.OutOfOrder);

    [Theory]
    [InlineData(RequestStatus.Claimed, RequestStatus.EnRoute)]
    [InlineData(RequestStatus.EnRoute, RequestStatus.OnSite)]
    [InlineData(RequestStatus.OnSite, RequestStatus.Completed)]
    [InlineData(RequestStatus.OnSite, RequestStatus.OnSite)]
    public void Advance_ByAnotherVolunteer_ReturnsForbidden(RequestStatus from, RequestStatus to) =>
        Refused(Decide(InStatus(from, Li, Wang), new AdvanceCommand(Wang.Actor, to, null), Facts(9)), DispatchOutcome.Forbidden);

    [Fact]
    public void Advance_WhenNobodyIsAssigned_ReturnsForbidden() =>
        Refused(Decide(Offered(Li, Wang), new AdvanceCommand(Li.Actor, RequestStatus.EnRoute, null), Facts(9)), DispatchOutcome.Forbidden);

    [Theory]
    [InlineData(RequestStatus.EnRoute)]
    [InlineData(RequestStatus.Completed)]
    [InlineData(RequestStatus.Cancelled)]
    public void Advance_WhenCancelled_ReturnsNotOpen_EvenForTheFormerAssignee(RequestStatus to) =>
        Refused(Decide(CancelledAfterClaim(Li, Wang), new AdvanceCommand(Li.Actor, to, null), Facts(9)), DispatchOutcome.NotOpen);

    [Theory]
    [InlineData(RequestStatus.OnSite)]
    [InlineData(RequestStatus.Cancelled)]
    public void Advance_WhenCompleted_ToAnotherStatus_ReturnsNotOpen(RequestStatus to) =>
        Refused(Decide(Completed(Li, Wang), new AdvanceCommand(Li.Actor, to, null), Facts(9)), DispatchOutcome.NotOpen);

    [Fact]
    public void Advance_CompletedByAnotherVolunteer_ReturnsNotOpen() =>
        Refused(Decide(Completed(Li, Wang), new AdvanceCommand(Wang.Actor, RequestStatus.Completed, null), Facts(9)), DispatchOutcome.NotOpen);

    [Theory]
    [InlineData(RequestStatus.Claimed)]
    [InlineData(RequestStatus.EnRoute)]
    [InlineData(RequestStatus.OnSite)]
    public void Release_ByAnotherVolunteer_ReturnsForbidden(RequestStatus status) =>
        Refused(Decide(InStatus(status, Li, Wang), new ReleaseCommand(Wang.Actor, "flat tyre"), WithCandidates(9, Zhao)),
            DispatchOutcome.Forbidden);

    [Fact]
    public void Release_WhenNobodyIsAssigned_ReturnsForbidden() =>
        Refused(Decide(Offered(Li, Wang), new ReleaseCommand(Li.Actor, "flat tyre"), WithCandidates(9, Zhao)), DispatchOutcome.Forbidden);

    [Theory]
    [InlineData(RequestStatus.Completed)]
    [InlineData(RequestStatus.Cancelled)]
    public void Release_WhenClosed_ReturnsNotOpen(RequestStatus status) =>
        Refused(Decide(InStatus(status, Li, Wang), new ReleaseCommand(Li.Actor, "flat tyre"), WithCandidates(9, Zhao)), DispatchOutcome.NotOpen);

    [Fact]
    public void Release_WithoutCandidates_AsksForARoundWithoutTheAssignee()
    {
        var needs = Needs(Decide(Claimed(Li, Wang), new ReleaseCommand(Li.Actor, "flat tyre"), Facts(2)));

        var query = Assert.IsType<CandidateQuery>(needs.Candidates);
        Assert.Equal(Family, query.Position);
        Assert.Equal(HelpCategory.Medicine, query.Skill);
        Assert.Equal(Options.CircleMinutes, query.CircleMinutes);
        Assert.Equal([Li.Id], query.Excluded);
        Assert.False(query.IgnoreCapacity);
        Assert.Null(needs.Volunteer);
    }

    [Theory]
    [InlineData(RequestStatus.Claimed)]
    [InlineData(RequestStatus.EnRoute)]
    [InlineData(RequestStatus.OnSite)]
    public void Release_WithCandidates_OffersItAgainWithoutTheAssignee(RequestStatus status)
    {
        var current = InStatus(status, Li, Wang);

        var next = Changed(Decide(current, new ReleaseCommand(Li.Actor, "flat tyre"), WithCandidates(9, Wang, Zhao)));

        Assert.Equal(RequestStatus.Offered, next.Status);
        Assert.Null(next.AssignedVolunteerId);
        Assert.Null(next.AssignedVolunteerName);
        Assert.Null(next.AssignedVolunteerPhone);
        Assert.Null(next.AssignedEtaMinutes);
        Assert.Null(next.ClaimedAt);
        Assert.Null(next.EnRouteAt);
        Assert.Null(next.OnSiteAt);
        SameVolunteers([Li], next.Excluded);
        SameVolunteers([Wang, Zhao], next.Offers.Keys);
        Assert.Equal(new OfferRecord(Zhao.EtaMinutes, Zhao.Candidate.DistanceM, At(9)), next.Offers[Zhao.Id]);
        Assert.Equal(At(9) + Options.RoutineClaimDeadline, next.DeadlineAt);
        Assert.Equal(current.Version + 1, next.Version);
        var released = next.Timeline[^1];
        Assert.Equal((status, RequestStatus.Offered, "released", "Li"), (released.From, released.To, released.Event, released.Actor));
        Assert.Equal("released by Li: flat tyre; offered to 2 volunteer(s)", released.Note);
        Assert.Equal("flat tyre", released.Details!["text"]);
        Assert.Equal("2", released.Details["count"]);
    }

    [Fact]
    public void Release_WithCandidates_OffersToThemTellsAndLetsGoTheAssignee()
    {
        var effects = Decide(Claimed(Li, Wang), new ReleaseCommand(Li.Actor, "flat tyre"), WithCandidates(2, Wang, Zhao)).Effects;

        SameVolunteers([Wang, Zhao], effects.Offer);
        Assert.Equal(Li.Id, effects.AlsoTell);
        Assert.Equal([new LetGo(Li.Id, Completed: false)], effects.LetGo);
        Assert.Null(effects.TakeOn);
        Assert.Empty(effects.Withdraw);
        Assert.True(effects.Announce);
    }

    [Fact]
    public void Release_Twice_ExcludesBothFormerAssignees()
    {
        var releasedByLi = Changed(Decide(Claimed(Li, Wang), new ReleaseCommand(Li.Actor, "flat tyre"), WithCandidates(2, Wang)));
        var claimedByWang = Changed(Decide(releasedByLi, new ClaimCommand(Wang.Actor), WithVolunteer(3, Wang.Facts())));

        var needs = Needs(Decide(claimedByWang, new ReleaseCommand(Wang.Actor, "ill"), Facts(4)));
        var next = Changed(Decide(claimedByWang, new ReleaseCommand(Wang.Actor, "ill"), WithCandidates(4, Zhao)));

        SameVolunteers([Li, Wang], needs.Candidates!.Excluded);
        SameVolunteers([Li, Wang], next.Excluded);
    }
}
