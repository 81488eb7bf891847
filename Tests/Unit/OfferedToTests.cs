using Outreach.Dispatch;
using Outreach.Grains.Reach;
using Outreach.Model;
using Outreach.Tests.Infrastructure;
using Xunit;

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
}
