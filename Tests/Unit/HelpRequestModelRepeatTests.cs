using Outreach.Dispatch;
using Outreach.Grains.Dispatch;
using Outreach.Live;
using Outreach.Model;
using static Outreach.Tests.Unit.HelpRequestModelScene;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary>
/// <see cref="HelpRequest"/>: a command sent again after its first answer was lost (the web's call timed out while the
/// database stalled, and the write went on and landed) is its retry: it changes nothing and answers as the first did,
/// instead of a 403/409 for the state it made — or, for a reoffer or a note, a second change.
/// </summary>
[Category(TestCategory.Unit)]
public sealed class HelpRequestModelRepeatTests
{
    private static readonly ModelVolunteer Li = ModelVolunteer.Named("Li", 4);
    private static readonly ModelVolunteer Wang = ModelVolunteer.Named("Wang", 7);
    private static readonly ModelVolunteer Zhao = ModelVolunteer.Named("Zhao", 11);

    [Fact]
    public void Release_SentAgainAfterItLanded_IsARepeat_ThatLetsTheReleaserGoAgain()
    {
        var released = Changed(Decide(Claimed(Li, Wang), new ReleaseCommand(Li.Actor, "flat tyre"), WithCandidates(2, Wang)));

        var effects = Repeated(Decide(released, new ReleaseCommand(Li.Actor, "flat tyre"), Facts(3)));

        Assert.Equal(new LetGo(Li.Id, Completed: false), Assert.Single(effects.LetGo));
        SameVolunteers([Wang], effects.Offer); // the offers it made stand
    }

    [Fact]
    public void Release_ByTheFormerAssignee_ForAnotherReason_OrOnceTheRequestChangedHands_IsStillForbidden()
    {
        var released = Changed(Decide(Claimed(Li, Wang), new ReleaseCommand(Li.Actor, "flat tyre"), WithCandidates(2, Wang)));
        var claimedByWang = Changed(Decide(released, new ClaimCommand(Wang.Actor), WithVolunteer(3, Wang.Facts())));

        Refused(Decide(released, new ReleaseCommand(Li.Actor, "ill"), Facts(3)), DispatchOutcome.Forbidden);
        Refused(Decide(claimedByWang, new ReleaseCommand(Li.Actor, "flat tyre"), Facts(4)), DispatchOutcome.Forbidden);
        Refused(Decide(released, new ReleaseCommand(Zhao.Actor, "flat tyre"), Facts(3)), DispatchOutcome.Forbidden);
    }

    [Fact]
    public void Release_OfAnAssigneeWhoDidNotSetOff_IsNotTakenForARepeat()
    {
        var lapsed = Changed(Decide(Claimed(Li, Wang), new DeadlineCommand(), WithCandidates(30, Wang)));
        Assert.Contains(Li.Id, lapsed.Excluded);

        Refused(Decide(lapsed, new ReleaseCommand(Li.Actor, "flat tyre"), Facts(31)), DispatchOutcome.Forbidden);
    }

    [Fact]
    public void Cancel_SentAgainBySamePersonForTheSameReason_IsARepeat_WithItsEffectsAgain()
    {
        var offered = Repeated(Decide(Cancelled(Li, Wang), new CancelCommand(Operator, "the family found help"), Facts(2)));
        var assigned = Repeated(Decide(CancelledAfterClaim(Li, Wang), new CancelCommand(Operator, "the family found help"), Facts(3)));

        SameVolunteers([Li, Wang], offered.Withdraw);
        Assert.Equal(WithdrawalReasons.Cancelled, offered.WithdrawReason);
        Assert.Empty(offered.LetGo);
        Assert.Empty(assigned.Withdraw);
        Assert.Equal(new LetGo(Li.Id, Completed: false), Assert.Single(assigned.LetGo));
    }

    [Fact]
    public void Cancel_OfACancelledRequest_ByAnotherOrForAnotherReason_IsNotOpen()
    {
        Refused(Decide(Cancelled(Li), new CancelCommand(Coordinator, "the family found help"), Facts(2)), DispatchOutcome.NotOpen);
        Refused(Decide(Cancelled(Li), new CancelCommand(Operator, "duplicate"), Facts(2)), DispatchOutcome.NotOpen);
        Refused(Decide(Completed(Li), new CancelCommand(Operator, "the family found help"), Facts(5)), DispatchOutcome.NotOpen);
    }

    [Fact]
    public void FollowUp_NotSatisfied_SentAgain_IsARepeat_UntilTheRequestIsCompletedAnew()
    {
        var reopened = Changed(Decide(Completed(Li, Wang), new FollowUpCommand(Operator, false, 1, "nobody came"), WithCandidates(60, Wang)));

        var again = Repeated(Decide(reopened, new FollowUpCommand(Operator, false, 1, "nobody came"), WithCandidates(61, Wang)));
        var otherAnswer = Decide(reopened, new FollowUpCommand(Operator, false, 2, "still nobody"), WithCandidates(61, Wang));
        var claimed = Changed(Decide(reopened, new ClaimCommand(Wang.Actor), WithVolunteer(62, Wang.Facts())));
        var completedAgain = Changed(Decide(Changed(Decide(Changed(Decide(claimed, new AdvanceCommand(Wang.Actor, RequestStatus.EnRoute, null),
            Facts(63))), new AdvanceCommand(Wang.Actor, RequestStatus.OnSite, null), Facts(64))),
            new AdvanceCommand(Wang.Actor, RequestStatus.Completed, null), Facts(65)));
        var afterSecondCompletion = Decide(completedAgain, new FollowUpCommand(Operator, false, 1, "nobody came"), WithCandidates(66, Zhao));

        SameVolunteers([Wang], again.Offer);
        Refused(otherAnswer, DispatchOutcome.OutOfOrder);
        Assert.Equal(RequestStatus.Offered, Changed(afterSecondCompletion).Status); // a new completion, a new call-back
    }

    [Fact]
    public void Reoffer_SentAgainByTheSameCoordinator_WithinTheRepeatWindow_WidensOnce_UnlessSomeoneNewIsInTheCircle()
    {
        var widened = Changed(Decide(Offered(Li), new ReofferCommand(Coordinator, "nobody nearby"), WithCandidates(3, Li, Wang)));

        var again = Repeated(Decide(widened, new ReofferCommand(Coordinator, "nobody nearby"), WithCandidates(4, Li, Wang)));
        var newcomer = Changed(Decide(widened, new ReofferCommand(Coordinator, "nobody nearby"), WithCandidates(4, Li, Wang, Zhao)));

        SameVolunteers([Li, Wang], again.Offer);
        Assert.Single(widened.Timeline, e => e.Event == "widened");
        SameVolunteers([Li, Wang, Zhao], newcomer.Offers.Keys); // a second press that finds someone new offers them
    }

    [Fact]
    public void SameWords_FromAnotherAccountWithTheSameName_AreNotTakenForARetry()
    {
        var namesake = new Actor(Guid.NewGuid(), Coordinator.Name);
        var noted = Changed(Decide(Offered(Li), new NoteCommand(Coordinator, "the family called again"), Facts(2)));
        var widened = Changed(Decide(Offered(Li), new ReofferCommand(Coordinator, null), WithCandidates(3, Li)));
        var cancelled = Changed(Decide(Offered(Li), new CancelCommand(Coordinator, "duplicate"), Facts(2)));

        Changed(Decide(noted, new NoteCommand(namesake, "the family called again"), Facts(3)));
        Changed(Decide(widened, new ReofferCommand(namesake, null), WithCandidates(4, Li)));
        Refused(Decide(cancelled, new CancelCommand(namesake, "duplicate"), Facts(3)), DispatchOutcome.NotOpen);
        Assert.Equal(Coordinator.AccountId, noted.Timeline[^1].ActorId);
    }

    [Fact]
    public void Reoffer_Later_ByAnother_OrWithOtherWords_WidensAgain()
    {
        var widened = Changed(Decide(Offered(Li), new ReofferCommand(Coordinator, "nobody nearby"), WithCandidates(3, Li, Wang)));
        var later = 3 + HelpRequest.RepeatWindow.TotalMinutes;
        var other = new Actor(Guid.NewGuid(), "Zhou");

        Assert.Equal(RequestStatus.Offered, Changed(Decide(widened, new ReofferCommand(Coordinator, "nobody nearby"), WithCandidates(later, Zhao))).Status);
        Assert.Equal(RequestStatus.Offered, Changed(Decide(widened, new ReofferCommand(other, "nobody nearby"), WithCandidates(4, Zhao))).Status);
        Assert.Equal(RequestStatus.Offered, Changed(Decide(widened, new ReofferCommand(Coordinator, "try again"), WithCandidates(4, Zhao))).Status);
    }

    [Fact]
    public void Note_SentAgain_IsWrittenOnce_AnotherNoteIsAdded()
    {
        var noted = Changed(Decide(Offered(Li), new NoteCommand(Coordinator, "called the family back"), Facts(2)));

        Repeated(Decide(noted, new NoteCommand(Coordinator, "called the family back"), Facts(3)));
        var second = Changed(Decide(noted, new NoteCommand(Coordinator, "family asks for a woman"), Facts(3)));

        Assert.Equal(noted.Timeline.Count + 1, second.Timeline.Count);
    }

    [Theory]
    [InlineData(RequestStatus.Claimed)]
    [InlineData(RequestStatus.EnRoute)]
    [InlineData(RequestStatus.OnSite)]
    public void Assign_SentAgain_AfterTheVolunteerSetOff_IsARepeat(RequestStatus status)
    {
        var assign = new AssignCommand(Coordinator, Wang.Id, Force: false, null);
        var assigned = Changed(Decide(Offered(Li, Wang), assign, WithVolunteer(1, Wang.Facts())));
        var now = assigned;
        if (status != RequestStatus.Claimed)
            now = Changed(Decide(now, new AdvanceCommand(Wang.Actor, RequestStatus.EnRoute, null), Facts(2)));
        if (status == RequestStatus.OnSite)
            now = Changed(Decide(now, new AdvanceCommand(Wang.Actor, RequestStatus.OnSite, null), Facts(3)));

        var effects = Repeated(Decide(now, assign, WithVolunteer(4, Wang.Facts())));

        Assert.Equal(Wang.Id, effects.TakeOn);
        if (status != RequestStatus.Claimed) // another volunteer still cannot be given a request under way
            Refused(Decide(now, new AssignCommand(Coordinator, Zhao.Id, Force: true, null), WithVolunteer(4, Zhao.Facts())), DispatchOutcome.OutOfOrder);
    }
}
