using Outreach.Dispatch;
using Outreach.Grains.Dispatch;
using Outreach.Model;
using Outreach.Tests.Infrastructure;
using static Outreach.Tests.Unit.HelpRequestModelScene;

namespace Outreach.Tests.Unit;

/// <summary>
/// <see cref="HelpRequest"/> for a care plan's occurrence: the plan's preferred helper is offered it first (alone for
/// the window, with the family's paired helpers), and an assignee made ahead of the visit has until the visit's window
/// opens (plus the en-route deadline) to set off.
/// </summary>
[Category(TestCategory.Unit)]
public sealed class CarePlanModelTests
{
    private static readonly Guid Plan = Guid.NewGuid();
    private static readonly ModelVolunteer Preferred = ModelVolunteer.Named("Zhou", 8);
    private static readonly ModelVolunteer Li = ModelVolunteer.Named("Li", 3);

    /// <summary>An occurrence made 30 minutes before its window (08:30–09:30), preferring <see cref="Preferred"/>.</summary>
    private static NewHelpRequest Occurrence(Urgency urgency = Urgency.Routine) => Request(urgency) with
    {
        CarePlanId = Plan,
        PreferredVolunteerId = Preferred.Id,
        WindowFrom = At(30),
        WindowTo = At(90),
    };

    private static HelpRequestState Submitted(Urgency urgency = Urgency.Routine) =>
        Changed(Decide(new HelpRequestState(), new SubmitCommand(Actor.System, Occurrence(urgency)),
            Intake(0, Li, Preferred) with { Paired = [new PairedHelperFacts(Preferred.Id, Preferred.View(), HasPushDevice: false)] }));

    [Fact]
    public void Submit_WithAPreferredHelperAndNoFamilyFile_AsksForThemAsAPairedHelper()
    {
        var needs = Needs(Decide(new HelpRequestState(), new SubmitCommand(Actor.System, Occurrence()), Intake(0, Li)));

        Assert.Null(needs.PairedOf);
        Assert.Equal(Preferred.Id, needs.Preferred);
    }

    [Fact]
    public void Submit_GoesToThePreferredHelperAlone_ForTheRoutineWindow_AndTheViewCarriesThePlan()
    {
        var next = Submitted();

        SameVolunteers([Preferred], next.Offers.Keys);
        Assert.Equal(Now.AddSeconds(60), next.PairedUntil);
        Assert.Equal("pairedFirst", next.Timeline[^1].Event);
        var view = HelpRequestViews.ToView(Guid.NewGuid(), next);
        Assert.Equal(Plan, view.CarePlanId);
        Assert.Equal(At(30), view.WindowFrom);
        Assert.Equal(At(90), view.WindowTo);
    }

    [Fact]
    public void Claim_AheadOfTheWindow_GivesUntilTheWindowOpensPlusTheEnRouteDeadline()
    {
        var claimed = Changed(Decide(Submitted(), new ClaimCommand(Preferred.Actor), WithVolunteer(1, Preferred.Facts())));

        Assert.Equal(RequestStatus.Claimed, claimed.Status);
        Assert.Equal(At(30) + Options.EnRouteDeadline, claimed.DeadlineAt);
    }

    [Fact]
    public void Claim_OnceTheWindowHasOpened_GivesTheUsualEnRouteDeadline()
    {
        var claimed = Changed(Decide(Submitted(), new ClaimCommand(Preferred.Actor), WithVolunteer(45, Preferred.Facts())));

        Assert.Equal(At(45) + Options.EnRouteDeadline, claimed.DeadlineAt);
    }

    [Fact]
    public void Claim_OfAnOrdinaryRequest_KeepsTheUsualEnRouteDeadline()
    {
        var claimed = Claimed(Li);

        Assert.Equal(At(1) + Options.EnRouteDeadline, claimed.DeadlineAt);
    }
}
