using Outreach.Dispatch;
using Outreach.Grains.Dispatch;
using Outreach.Model;
using Outreach.Volunteers;
using static Outreach.Tests.Unit.HelpRequestModelScene;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary><see cref="HelpRequest"/>: a coordinator gives the request to a volunteer (Assign) or withdraws it (Cancel).</summary>
[Category(TestCategory.Unit)]
public sealed class HelpRequestModelAssignTests
{
    private static readonly ModelVolunteer Li = ModelVolunteer.Named("Li", 4);
    private static readonly ModelVolunteer Wang = ModelVolunteer.Named("Wang", 7);
    private static readonly ModelVolunteer Zhao = ModelVolunteer.Named("Zhao", 11);

    private static AssignCommand AssignZhao(bool force = false, string? note = null) => new(Coordinator, Zhao.Id, force, note);

    private static RequestFacts ZhaoFacts(double minutes, bool onDuty = true, HelpCategory[]? skills = null, bool hasRoom = true,
        VolunteerPosition? position = null) =>
        WithVolunteer(minutes, new VolunteerFacts(Zhao.Id, Zhao.View(onDuty, skills, position), hasRoom));

    [Theory]
    [InlineData(RequestStatus.Completed)]
    [InlineData(RequestStatus.Cancelled)]
    public void Assign_WhenClosed_ReturnsNotOpen(RequestStatus status) =>
        Refused(Decide(InStatus(status, Li, Wang), AssignZhao(force: true), ZhaoFacts(9)), DispatchOutcome.NotOpen);

    [Theory]
    [InlineData(RequestStatus.EnRoute)]
    [InlineData(RequestStatus.OnSite)]
    public void Assign_WhenUnderWay_ReturnsOutOfOrder(RequestStatus status) =>
        Refused(Decide(InStatus(status, Li, Wang), AssignZhao(force: true), ZhaoFacts(9)), DispatchOutcome.OutOfOrder);

    [Fact]
    public void Assign_ToTheCurrentAssignee_ChangesNothingAndTakesItOnAgain()
    {
        var effects = Repeated(Decide(Claimed(Zhao, Li), AssignZhao(), Facts(2)));

        Assert.Equal(Zhao.Id, effects.TakeOn);
        Assert.Empty(effects.Withdraw);
        Assert.Empty(effects.LetGo);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Assign_WithoutTheVolunteerFact_AsksForItWithTheForceFlag(bool force)
    {
        var needs = Needs(Decide(Offered(Li, Wang), AssignZhao(force), WithVolunteer(1, Li.Facts())));

        Assert.Equal(Zhao.Id, needs.Volunteer);
        Assert.Equal(force, needs.Force);
        Assert.Null(needs.Candidates);
    }

    [Fact]
    public void Assign_WhenThereIsNoSuchVolunteer_ReturnsNotFound() =>
        Refused(Decide(Offered(Li, Wang), AssignZhao(force: true), WithVolunteer(1, new VolunteerFacts(Zhao.Id, null, HasRoom: true))),
            DispatchOutcome.NotFound);

    [Theory]
    [InlineData(true, false, "Zhao is off duty; confirm to assign anyway.")]
    [InlineData(false, true, "Zhao lacks the skill Medicine; confirm to assign anyway.")]
    [InlineData(true, true, "Zhao is off duty and lacks the skill Medicine; confirm to assign anyway.")]
    public void Assign_AgainstTheRules_NeedsConfirmation(bool offDuty, bool lacksSkill, string message)
    {
        var facts = ZhaoFacts(1, onDuty: !offDuty, skills: lacksSkill ? [HelpCategory.Meals] : null);

        var refusal = Refused(Decide(Offered(Li, Wang), AssignZhao(), facts), DispatchOutcome.NeedsConfirmation);

        Assert.Equal(message, refusal.Detail);
    }

    [Fact]
    public void Assign_AgainstTheRules_WhenForced_AssignsAndSaysSoInTheTimeline()
    {
        var facts = ZhaoFacts(1, onDuty: false, skills: [HelpCategory.Meals]);

        var next = Changed(Decide(Offered(Li, Wang), AssignZhao(force: true, note: "nobody else"), facts));

        Assert.Equal(RequestStatus.Claimed, next.Status);
        Assert.Equal(Zhao.Id, next.AssignedVolunteerId);
        var assigned = next.Timeline[^1];
        Assert.Equal("assigned", assigned.Event);
        Assert.Equal("assigned to Zhao by Chen (forced: is off duty, lacks the skill Medicine): nobody else", assigned.Note);
        Assert.Equal("true", assigned.Details!["offDuty"]);
        Assert.Equal("Medicine", assigned.Details["lacksSkill"]);
        Assert.Equal("nobody else", assigned.Details["text"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Assign_ToADeactivatedVolunteer_IsRefused_EvenForced(bool force)
    {
        var deactivated = Zhao.View(onDuty: false, null, null) with { Profile = Zhao.View(onDuty: false, null, null).Profile with { Active = false } };
        var facts = WithVolunteer(1, new VolunteerFacts(Zhao.Id, deactivated, HasRoom: true));

        var refusal = Refused(Decide(Offered(Li, Wang), AssignZhao(force), facts), DispatchOutcome.OutOfOrder);

        Assert.Equal("Zhao is deactivated and cannot be assigned; activate them first.", refusal.Detail);
    }

    [Theory]
    [InlineData(RequestStatus.Offered)]
    [InlineData(RequestStatus.Claimed)]
    public void Assign_WhenTheVolunteerHasNoRoom_ReturnsAtCapacity(RequestStatus status) =>
        Refused(Decide(InStatus(status, Li, Wang), AssignZhao(), ZhaoFacts(1, hasRoom: false)), DispatchOutcome.AtCapacity);

    [Fact]
    public void Assign_WhenOffered_AssignsTheVolunteer()
    {
        var current = Offered(Li, Wang);

        var next = Changed(Decide(current, AssignZhao(), ZhaoFacts(1)));

        Assert.Equal(RequestStatus.Claimed, next.Status);
        Assert.Equal(Zhao.Id, next.AssignedVolunteerId);
        Assert.Equal(Zhao.Name, next.AssignedVolunteerName);
        Assert.Equal(Zhao.Phone, next.AssignedVolunteerPhone);
        Assert.Null(next.AssignedEtaMinutes); // no position, no estimate
        Assert.Equal(At(1), next.ClaimedAt);
        Assert.Equal(At(1) + Options.EnRouteDeadline, next.DeadlineAt);
        Assert.Equal(current.Version + 1, next.Version);
        var assigned = next.Timeline[^1];
        Assert.Equal((RequestStatus.Offered, RequestStatus.Claimed, "assigned", "Chen"), (assigned.From, assigned.To, assigned.Event, assigned.Actor));
        Assert.Equal("assigned to Zhao by Chen", assigned.Note);
    }

    [Fact]
    public void Assign_WhenTheVolunteerHasAPosition_EstimatesTheirEta()
    {
        var position = new VolunteerPosition(new GeoPoint(Family.Lat + 0.01, Family.Lon), 10, Now);
        var expected = Math.Round(new ServiceCircle(Options).Estimate(position.Position, Family, TravelMode.Walk).EtaMinutes, 2);

        var next = Changed(Decide(Offered(Li, Wang), AssignZhao(), ZhaoFacts(1, position: position)));

        Assert.Equal(expected, next.AssignedEtaMinutes);
    }

    [Fact]
    public void Assign_WhenOffered_WithdrawsTheOtherOffers()
    {
        var effects = Decide(Offered(Li, Wang, Zhao), AssignZhao(), ZhaoFacts(1)).Effects;

        SameVolunteers([Li, Wang], effects.Withdraw);
        Assert.Equal("assigned", effects.WithdrawReason);
        Assert.Equal(Zhao.Id, effects.TakeOn);
        Assert.Null(effects.AlsoTell);
        Assert.Empty(effects.LetGo);
        Assert.Empty(effects.Offer);
        Assert.True(effects.Announce);
    }

    [Fact]
    public void Assign_WhenClaimed_ReplacesTheAssignee()
    {
        var current = Claimed(Li, Wang);

        var decision = Decide(current, AssignZhao(), ZhaoFacts(2));

        var next = Changed(decision);
        Assert.Equal(RequestStatus.Claimed, next.Status);
        Assert.Equal(Zhao.Id, next.AssignedVolunteerId);
        Assert.Equal(Zhao.Name, next.AssignedVolunteerName);
        Assert.Equal(At(2), next.ClaimedAt);
        Assert.Equal(At(2) + Options.EnRouteDeadline, next.DeadlineAt);
        Assert.Equal((RequestStatus.Claimed, RequestStatus.Claimed), (next.Timeline[^1].From, next.Timeline[^1].To));
        Assert.Empty(decision.Effects.Withdraw); // the other offers went when Li claimed it
        Assert.Equal(Li.Id, decision.Effects.AlsoTell);
        Assert.Equal([new LetGo(Li.Id, Completed: false)], decision.Effects.LetGo);
        Assert.Equal(Zhao.Id, decision.Effects.TakeOn);
    }

    [Fact]
    public void Cancel_WhenOffered_WithdrawsEveryOffer()
    {
        var current = Offered(Li, Wang);

        var decision = Decide(current, new CancelCommand(Operator, "duplicate call"), Facts(1));

        var next = Changed(decision);
        Assert.Equal(RequestStatus.Cancelled, next.Status);
        Assert.Equal(At(1), next.ClosedAt);
        Assert.Null(next.DeadlineAt);
        Assert.Null(next.CompletedAt);
        Assert.Equal(current.Version + 1, next.Version);
        Assert.Equal(new TimelineEntry(At(1), "Olga", RequestStatus.Offered, RequestStatus.Cancelled, "duplicate call", ActorId: Operator.AccountId), next.Timeline[^1]);
        SameVolunteers([Li, Wang], decision.Effects.Withdraw);
        Assert.Equal("cancelled", decision.Effects.WithdrawReason);
        Assert.Empty(decision.Effects.LetGo);
        Assert.Null(decision.Effects.TakeOn);
    }

    [Fact]
    public void Cancel_WhenClaimed_LetsTheAssigneeGo()
    {
        var decision = Decide(Claimed(Li, Wang), new CancelCommand(Coordinator, "family moved"), Facts(2));

        var next = Changed(decision);
        Assert.Equal(RequestStatus.Cancelled, next.Status);
        Assert.Equal(At(2), next.ClosedAt);
        Assert.Null(next.DeadlineAt);
        Assert.Empty(decision.Effects.Withdraw);
        Assert.Equal([new LetGo(Li.Id, Completed: false)], decision.Effects.LetGo);
    }

    [Theory]
    [InlineData(RequestStatus.EnRoute)]
    [InlineData(RequestStatus.OnSite)]
    public void Cancel_WhenUnderWay_LetsTheAssigneeGo(RequestStatus status)
    {
        var decision = Decide(InStatus(status, Li, Wang), new CancelCommand(Coordinator, "family moved"), Facts(9));

        Assert.Equal(RequestStatus.Cancelled, Changed(decision).Status);
        Assert.Equal([new LetGo(Li.Id, Completed: false)], decision.Effects.LetGo);
    }

    [Theory]
    [InlineData(RequestStatus.Completed)]
    [InlineData(RequestStatus.Cancelled)]
    public void Cancel_WhenClosed_ReturnsNotOpen(RequestStatus status) =>
        Refused(Decide(InStatus(status, Li, Wang), new CancelCommand(Operator, "again"), Facts(9)), DispatchOutcome.NotOpen);
}
