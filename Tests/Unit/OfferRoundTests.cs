using Outreach.Dispatch;
using Outreach.Grains.Dispatch;
using Outreach.Grains.Reach;
using Outreach.Live;
using Outreach.Model;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary>
/// A round of offers as the grains hand it on and the reach grain keeps it: the view its volunteers share, once, and
/// each volunteer's own ETA and distance. Whoever builds a volunteer's view from it — the web node for a connected
/// volunteer, the reach grain for a push or SMS sent later — must get that volunteer's own figures.
/// </summary>
[Category(TestCategory.Unit)]
public sealed class OfferRoundTests
{
    private static readonly OfferView First = new(Guid.NewGuid(), HelpCategory.Groceries, Urgency.Routine, 4.5, 700,
        new GeoPoint(35.71, 114.98), new DateTimeOffset(2026, 12, 3, 4, 0, 0, TimeSpan.Zero), RequestStatus.Offered);

    /// <summary>Two volunteers of one round (own ETA and distance) and a third whose view differs in urgency.</summary>
    private static (Guid Near, Guid Far, Guid Urgent, OfferNotice[] Notices) ThreeOffers()
    {
        var (near, far, urgent) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        return (near, far, urgent,
        [
            new(near, First),
            new(far, First with { EtaMinutes = 13.5, DistanceM = 3_100 }),
            new(urgent, First with { Urgency = Urgency.Urgent, EtaMinutes = 6, DistanceM = 900 }),
        ]);
    }

    [Fact]
    public void Of_SharesOneViewPerRound_AndGivesEachVolunteerTheirOwnBack()
    {
        var (near, far, urgent, notices) = ThreeOffers();

        var rounds = OfferRound.Of(notices);

        Assert.Equal([2, 1], rounds.Select(r => r.To.Length));
        Assert.Equal([near, far, urgent], OfferRound.VolunteersOf(rounds));
        Assert.Equal(notices.Select(n => n.Offer), rounds.SelectMany(r => r.To.Select(r.ViewFor)));
        Assert.Same(First, rounds[0].ViewFor(rounds[0].To[0]));
    }

    [Fact]
    public void SameRound_OnlyWhenNothingButEtaAndDistanceDiffer()
    {
        Assert.True(OfferRound.SameRound(First, First with { EtaMinutes = 9, DistanceM = 1_800 }));
        Assert.False(OfferRound.SameRound(First, First with { Urgency = Urgency.Urgent }));
        Assert.False(OfferRound.SameRound(First, First with { ApproxPosition = new GeoPoint(35.72, 114.98) }));
        Assert.False(OfferRound.SameRound(First, First with { RequestId = Guid.NewGuid() }));
    }

    [Fact]
    public void Keep_FilesEachVolunteersOwnView_OnTheRoundsShape()
    {
        var (near, far, urgent, notices) = ThreeOffers();
        var offered = new Dictionary<Guid, OfferedTo>();

        OfferedTo.Keep(OfferRound.Of(notices), offered);

        Assert.Equal(notices.Select(n => n.Offer), notices.Select(n => offered[n.VolunteerId].View));
        Assert.Same(offered[near].Round, offered[far].Round);
        Assert.NotSame(offered[near].Round, offered[urgent].Round);
    }

    [Fact]
    public void ToRounds_OfAStoredRequest_IsOneRound_EachVolunteersViewAsToOfferMakesIt_UnofferedLeftOut()
    {
        var request = Guid.NewGuid();
        var state = HelpRequestModelScene.Changed(HelpRequestModelScene.Decide(new HelpRequestState(),
            new SubmitCommand(HelpRequestModelScene.Operator, HelpRequestModelScene.Request()),
            HelpRequestModelScene.Intake(0, ModelVolunteer.Named("Li", 4), ModelVolunteer.Named("Wang", 9))));
        Guid[] offered = [.. state.Offers.Keys];
        Assert.Equal(2, offered.Select(v => state.Offers[v].EtaMinutes).Distinct().Count());

        var rounds = HelpRequestViews.ToRounds(request, state, [.. offered, Guid.NewGuid()]);

        var round = Assert.Single(rounds);
        Assert.Equal(offered, round.To.Select(v => v.VolunteerId));
        Assert.Equal(offered.Select(v => HelpRequestViews.ToOffer(request, state, v)), round.To.Select(round.ViewFor));
        Assert.Empty(HelpRequestViews.ToRounds(request, state, [Guid.NewGuid()]));
    }
}
