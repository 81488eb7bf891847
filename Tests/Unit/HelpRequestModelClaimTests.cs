using Outreach.Dispatch;
using Outreach.Grains.Dispatch;
using Outreach.Model;
using static Outreach.Tests.Unit.HelpRequestModelScene;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary><see cref="HelpRequest"/>: a volunteer claims an offered request (抢单).</summary>
[Category(TestCategory.Unit)]
public sealed class HelpRequestModelClaimTests
{
    private static readonly ModelVolunteer Li = ModelVolunteer.Named("Li", 4);
    private static readonly ModelVolunteer Wang = ModelVolunteer.Named("Wang", 7);
    private static readonly ModelVolunteer Zhao = ModelVolunteer.Named("Zhao", 11);

    [Fact]
    public void Claim_WhenThereIsNoRequest_ReturnsNotFound() =>
        Refused(Decide(new HelpRequestState(), new ClaimCommand(Li.Actor), WithVolunteer(1, Li.Facts())), DispatchOutcome.NotFound);

    [Theory]
    [InlineData(RequestStatus.Claimed)]
    [InlineData(RequestStatus.EnRoute)]
    [InlineData(RequestStatus.OnSite)]
    public void Claim_RepeatedByTheWinner_ChangesNothingAndTakesItOnAgain(RequestStatus status)
    {
        var effects = Repeated(Decide(InStatus(status, Li, Wang), new ClaimCommand(Li.Actor), WithVolunteer(5, Li.Facts(hasRoom: false))));

        Assert.Equal(Li.Id, effects.TakeOn);
        Assert.Empty(effects.Offer);
        Assert.Empty(effects.Withdraw);
    }

    [Theory]
    [InlineData(RequestStatus.Claimed)]
    [InlineData(RequestStatus.EnRoute)]
    [InlineData(RequestStatus.OnSite)]
    public void Claim_WhenAssignedToAnother_ReturnsAlreadyTaken(RequestStatus status) =>
        Refused(Decide(InStatus(status, Li, Wang), new ClaimCommand(Wang.Actor), WithVolunteer(5, Wang.Facts())), DispatchOutcome.AlreadyTaken);

    [Theory]
    [InlineData(RequestStatus.Completed)]
    [InlineData(RequestStatus.Cancelled)]
    public void Claim_WhenClosed_ReturnsNotOpen(RequestStatus status) =>
        Refused(Decide(InStatus(status, Li, Wang), new ClaimCommand(Wang.Actor), WithVolunteer(5, Wang.Facts())), DispatchOutcome.NotOpen);

    [Fact]
    public void Claim_ByTheFormerAssigneeOfACancelledRequest_ReturnsNotOpen() =>
        Refused(Decide(CancelledAfterClaim(Li, Wang), new ClaimCommand(Li.Actor), WithVolunteer(5, Li.Facts())), DispatchOutcome.NotOpen);

    [Fact]
    public void Claim_WhenNotOfferedToThisVolunteer_ReturnsForbidden() =>
        Refused(Decide(Offered(Li, Wang), new ClaimCommand(Zhao.Actor), WithVolunteer(1, Zhao.Facts())), DispatchOutcome.Forbidden);

    [Theory]
    [InlineData(RequestStatus.Claimed)]
    [InlineData(RequestStatus.OnSite)]
    [InlineData(RequestStatus.Completed)]
    [InlineData(RequestStatus.Cancelled)]
    public void Claim_ByOneNeverOffered_IsForbidden_WhateverTheStatus_SoTheStatusIsNotTold(RequestStatus status) =>
        Refused(Decide(InStatus(status, Li, Wang), new ClaimCommand(Zhao.Actor), WithVolunteer(5, Zhao.Facts())), DispatchOutcome.Forbidden);

    [Fact]
    public void Claim_ByOneNeverOffered_WhileAnotherClaimIsStored_IsForbidden_NotTaken()
    {
        var refusal = HelpRequest.RefuseClaimAtOnce(Offered(Li, Wang), Zhao.Id, claiming: Li.Id);
        var loser = HelpRequest.RefuseClaimAtOnce(Offered(Li, Wang), Wang.Id, claiming: Li.Id);

        Assert.Equal(DispatchOutcome.Forbidden, refusal?.Outcome);
        Assert.Equal(DispatchOutcome.AlreadyTaken, loser?.Outcome);
    }

    [Fact]
    public void Claim_ByAnAccountWithoutAVolunteer_ReturnsForbidden() =>
        Refused(Decide(Offered(Li, Wang), new ClaimCommand(Operator), Facts(1)), DispatchOutcome.Forbidden);

    [Fact]
    public void Claim_WithoutTheVolunteerFact_AsksForIt()
    {
        var needs = Needs(Decide(Offered(Li, Wang), new ClaimCommand(Li.Actor), WithCandidates(1, Li)));

        Assert.Equal(Li.Id, needs.Volunteer);
        Assert.False(needs.Force);
        Assert.Null(needs.Candidates);
        Assert.Null(needs.StationFor);
    }

    [Fact]
    public void Claim_WithTheFactOfAnotherVolunteer_AsksForTheClaimer()
    {
        var needs = Needs(Decide(Offered(Li, Wang), new ClaimCommand(Li.Actor), WithVolunteer(1, Wang.Facts())));

        Assert.Equal(Li.Id, needs.Volunteer);
    }

    [Fact]
    public void Claim_WhenTheVolunteerHasNoProfile_ReturnsForbidden() =>
        Refused(Decide(Offered(Li, Wang), new ClaimCommand(Li.Actor), WithVolunteer(1, new VolunteerFacts(Li.Id, null, HasRoom: true))),
            DispatchOutcome.Forbidden);

    [Fact]
    public void Claim_WhenTheVolunteerHasNoRoom_ReturnsAtCapacity() =>
        Refused(Decide(Offered(Li, Wang), new ClaimCommand(Li.Actor), WithVolunteer(1, Li.Facts(hasRoom: false))), DispatchOutcome.AtCapacity);

    [Fact]
    public void Claim_WhenOffered_TheClaimerIsAssigned()
    {
        var current = Offered(Li, Wang, Zhao);

        var next = Changed(Decide(current, new ClaimCommand(Wang.Actor), WithVolunteer(1, Wang.Facts())));

        Assert.Equal(RequestStatus.Claimed, next.Status);
        Assert.Equal(Wang.Id, next.AssignedVolunteerId);
        Assert.Equal(Wang.Name, next.AssignedVolunteerName);
        Assert.Equal(Wang.Phone, next.AssignedVolunteerPhone);
        Assert.Equal(Wang.EtaMinutes, next.AssignedEtaMinutes);
        Assert.Equal(At(1), next.ClaimedAt);
        Assert.Equal(At(1) + Options.EnRouteDeadline, next.DeadlineAt);
        Assert.Equal(current.Version + 1, next.Version);
        var claimed = next.Timeline[^1];
        Assert.Equal((RequestStatus.Offered, RequestStatus.Claimed, "claimed", "Wang", At(1)),
            (claimed.From, claimed.To, claimed.Event, claimed.Actor, claimed.At));
        Assert.Equal("claimed by Wang, ETA 7 min", claimed.Note);
        Assert.Equal(current.Timeline.Count + 1, next.Timeline.Count);
    }

    [Fact]
    public void Claim_WhenOffered_WithdrawsTheOtherOffersAndTakesItOn()
    {
        var effects = Decide(Offered(Li, Wang, Zhao), new ClaimCommand(Wang.Actor), WithVolunteer(1, Wang.Facts())).Effects;

        SameVolunteers([Li, Zhao], effects.Withdraw);
        Assert.Equal("taken", effects.WithdrawReason);
        Assert.Equal(Wang.Id, effects.TakeOn);
        Assert.True(effects.Announce);
        Assert.Empty(effects.Offer);
        Assert.Empty(effects.LetGo);
        Assert.Null(effects.AlsoTell);
    }

    [Fact]
    public void Claim_WhenTheOnlyOneOffered_WithdrawsNothing()
    {
        var effects = Decide(Offered(Li), new ClaimCommand(Li.Actor), WithVolunteer(1, Li.Facts())).Effects;

        Assert.Empty(effects.Withdraw);
        Assert.Equal(Li.Id, effects.TakeOn);
    }

    [Fact]
    public void Claim_ByTheLoser_AfterTheWinner_ReturnsAlreadyTaken()
    {
        var claimed = Changed(Decide(Offered(Li, Wang), new ClaimCommand(Li.Actor), WithVolunteer(1, Li.Facts())));

        Refused(Decide(claimed, new ClaimCommand(Wang.Actor), WithVolunteer(1, Wang.Facts())), DispatchOutcome.AlreadyTaken);
    }
}

/// <summary>
/// <see cref="HelpRequest.RefuseClaimAtOnce"/>: the claims the grain answers without waiting for the turn — those the
/// stored state, or a claim already decided and being stored, refuses — and those it must decide in turn.
/// </summary>
[Category(TestCategory.Unit)]
public sealed class HelpRequestModelClaimAtOnceTests
{
    private static readonly ModelVolunteer Li = ModelVolunteer.Named("Li", 4);
    private static readonly ModelVolunteer Wang = ModelVolunteer.Named("Wang", 7);
    private static readonly ModelVolunteer Zhao = ModelVolunteer.Named("Zhao", 11);

    [Fact]
    public void WhileAnotherClaimIsBeingStored_TheOthersAreTakenAtOnce()
    {
        var offered = Offered(Li, Wang);

        var refusal = HelpRequest.RefuseClaimAtOnce(offered, Wang.Id, claiming: Li.Id);

        Assert.Equal(DispatchOutcome.AlreadyTaken, refusal?.Outcome);
    }

    [Fact]
    public void AnOfferedClaimWithNothingPending_IsDecidedInTurn() =>
        Assert.Null(HelpRequest.RefuseClaimAtOnce(Offered(Li, Wang), Wang.Id, claiming: null));

    [Fact]
    public void TheClaimBeingStored_RepeatedByItsVolunteer_IsDecidedInTurn() =>
        Assert.Null(HelpRequest.RefuseClaimAtOnce(Offered(Li, Wang), Li.Id, claiming: Li.Id));

    [Fact]
    public void TheWinnersRetry_IsDecidedInTurn() =>
        Assert.Null(HelpRequest.RefuseClaimAtOnce(Claimed(Li, Wang), Li.Id, claiming: null));

    [Fact]
    public void NoRequest_IsDecidedInTurn() =>
        Assert.Null(HelpRequest.RefuseClaimAtOnce(new HelpRequestState(), Li.Id, claiming: null));

    [Fact]
    public void Taken_NotOpen_NotOffered_AreRefusedAtOnce_AsTheModelRefusesThem()
    {
        Assert.Equal(DispatchOutcome.AlreadyTaken, HelpRequest.RefuseClaimAtOnce(Claimed(Li, Wang), Wang.Id, null)?.Outcome);
        Assert.Equal(DispatchOutcome.NotOpen, HelpRequest.RefuseClaimAtOnce(Cancelled(Li, Wang), Wang.Id, null)?.Outcome);
        Assert.Equal(DispatchOutcome.Forbidden, HelpRequest.RefuseClaimAtOnce(Offered(Li, Wang), Zhao.Id, null)?.Outcome);
        // The same words the model's own claim decision gives.
        Refused(Decide(Claimed(Li, Wang), new ClaimCommand(Wang.Actor), WithVolunteer(5, Wang.Facts())), DispatchOutcome.AlreadyTaken);
        Refused(Decide(Offered(Li, Wang), new ClaimCommand(Zhao.Actor), WithVolunteer(5, Zhao.Facts())), DispatchOutcome.Forbidden);
    }
}
