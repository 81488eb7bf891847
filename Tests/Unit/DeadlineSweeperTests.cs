using System.Collections.Immutable;
using System.Net;
using Orleans.Runtime;
using Outreach.Grains.Dispatch;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary>How the silos split the deadlines between them: every active silo one share, the same split seen from each.</summary>
[Category(TestCategory.Unit)]
public sealed class DeadlineSweeperTests
{
    private static SiloAddress Silo(int port) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 1);

    private static ClusterMembershipSnapshot Snapshot(params (SiloAddress Silo, SiloStatus Status)[] members) =>
        new(members.ToImmutableDictionary(m => m.Silo, m => new ClusterMember(m.Silo, m.Status, $"silo-{m.Silo.Endpoint.Port}")),
            new MembershipVersion(7));

    [Fact]
    public void EveryActiveSilo_GetsItsOwnShare_TheDeadAndTheJoiningNone()
    {
        SiloAddress[] active = [Silo(11113), Silo(11111), Silo(11112)];
        var (dead, joining) = (Silo(11110), Silo(11114));
        var snapshot = Snapshot([.. active.Select(a => (a, SiloStatus.Active)), (dead, SiloStatus.Dead), (joining, SiloStatus.Joining)]);

        var shares = active.Select(a => DeadlineSweeper.Share(snapshot, a)).ToArray();

        Assert.All(shares, s => Assert.Equal(3, s!.Value.Shares));
        Assert.Equal([0, 1, 2], shares.Select(s => s!.Value.Share).Order());
        Assert.Null(DeadlineSweeper.Share(snapshot, dead));
        Assert.Null(DeadlineSweeper.Share(snapshot, joining));
    }

    [Fact]
    public void TheSplit_DependsOnTheMembers_NotOnTheOrderTheSnapshotListsThem()
    {
        SiloAddress[] silos = [Silo(11121), Silo(11122)];
        var one = Snapshot([.. silos.Select(a => (a, SiloStatus.Active))]);
        var other = Snapshot([.. silos.Reverse().Select(a => (a, SiloStatus.Active))]);

        Assert.Equal(DeadlineSweeper.Share(one, silos[0]), DeadlineSweeper.Share(other, silos[0]));
        Assert.Equal((1, 0), DeadlineSweeper.Share(Snapshot((silos[1], SiloStatus.Active)), silos[1]));
    }
}
