using Outreach.Dispatch;
using Outreach.Grains.Reach;
using Outreach.Live;
using Outreach.Model;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary>
/// How the reach grain keeps an offer while the request is open: the round's view, shared, and each volunteer's own
/// ETA and distance. A push or SMS sent later must still carry that volunteer's own figures, never the round's first.
/// </summary>
[Category(TestCategory.Unit)]
public sealed class OfferedToTests
{
    private static readonly OfferView First = new(Guid.NewGuid(), HelpCategory.Groceries, Urgency.Routine, 4.5, 700,
        new GeoPoint(35.71, 114.98), new DateTimeOffset(2026, 12, 3, 4, 0, 0, TimeSpan.Zero), RequestStatus.Offered);

    [Fact]
    public void View_IsTheVolunteersOwn_OnTheRoundsShape()
    {
        var theirs = First with { EtaMinutes = 11.25, DistanceM = 2_400 };
        var kept = new OfferedTo(First, theirs.EtaMinutes, theirs.DistanceM);

        Assert.Equal(theirs, kept.View);
        Assert.Same(First, new OfferedTo(First, First.EtaMinutes, First.DistanceM).View);
    }

    [Fact]
    public void SameRound_OnlyWhenNothingButEtaAndDistanceDiffer()
    {
        Assert.True(OfferedTo.SameRound(First, First with { EtaMinutes = 9, DistanceM = 1_800 }));
        Assert.False(OfferedTo.SameRound(First, First with { Urgency = Urgency.Urgent }));
        Assert.False(OfferedTo.SameRound(First, First with { ApproxPosition = new GeoPoint(35.72, 114.98) }));
        Assert.False(OfferedTo.SameRound(First, First with { RequestId = Guid.NewGuid() }));
    }

    [Fact]
    public void Keep_FilesEachVolunteersOwnView_SharingTheRoundsOnlyWhereTheyMatch()
    {
        var (near, far, urgent) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        OfferNotice[] round =
        [
            new(near, First),
            new(far, First with { EtaMinutes = 13.5, DistanceM = 3_100 }),
            new(urgent, First with { Urgency = Urgency.Urgent, EtaMinutes = 6, DistanceM = 900 }),
        ];
        var offered = new Dictionary<Guid, OfferedTo>();

        OfferedTo.Keep(round, offered);

        Assert.Equal(round.Select(o => o.Offer), round.Select(o => offered[o.VolunteerId].View));
        Assert.Same(offered[near].Round, offered[far].Round);
        Assert.NotSame(offered[near].Round, offered[urgent].Round);
    }
}
