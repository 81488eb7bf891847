using Outreach.Accounts;
using Outreach.Live;
using Outreach.Model;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Security;

/// <summary>
/// A web node that did not take a session revocation in time (hung, partitioned) is told at its next renewal, once,
/// so it forgets every account it knew instead of trusting its copy until the copy expires.
/// </summary>
[Category(TestCategory.Grains)]
[Collection(PostgresClusterCollection.Name)]
public sealed class MissedRevocationTests(PostgresClusterFixture fixture)
{
    [Fact]
    public async Task ARevocationANodeDidNotTake_IsToldAtItsNextRenewal_Once_AndNotToTheNodeThatTookIt()
    {
        var client = fixture.Client;
        var registry = client.LiveRegistry();
        var hung = new Observer(answers: false);
        var fine = new Observer(answers: true);
        var hungRef = client.CreateObjectReference<ILiveObserver>(hung);
        var fineRef = client.CreateObjectReference<ILiveObserver>(fine);
        var (hungNode, fineNode) = ("hung-" + Guid.NewGuid().ToString("N"), "fine-" + Guid.NewGuid().ToString("N"));
        var login = "revoked-" + Guid.NewGuid().ToString("N");
        var account = client.GetGrain<IAccountGrain>(AccountKeys.For(login));
        Assert.True(await account.CreateAsync(new Account(Guid.NewGuid(), login, "被撤销的人", [Roles.Operator], "pbkdf2$hash", null)));
        try
        {
            await registry.RenewAsync(hungNode, hungRef);
            await registry.RenewAsync(fineNode, fineRef);

            var revoked = await account.EndSessionsAsync(); // waits out the hung node's answer, then tells the registry
            var hungRenewal = await registry.RenewAsync(hungNode, hungRef);
            var fineRenewal = await registry.RenewAsync(fineNode, fineRef);
            var hungAgain = await registry.RenewAsync(hungNode, hungRef);

            Assert.Equal(new LiveRenewal(Known: true, MissedRevocation: true), hungRenewal);
            Assert.Equal(new LiveRenewal(Known: true, MissedRevocation: false), fineRenewal);
            Assert.Equal(new LiveRenewal(Known: true, MissedRevocation: false), hungAgain);
            Assert.Equal(revoked!.SecurityStamp, Assert.Single(fine.Revocations).SecurityStamp);
        }
        finally
        {
            await registry.UnsubscribeAsync(hungNode);
            await registry.UnsubscribeAsync(fineNode);
            client.DeleteObjectReference<ILiveObserver>(hungRef);
            client.DeleteObjectReference<ILiveObserver>(fineRef);
            GC.KeepAlive(hung);
            GC.KeepAlive(fine);
        }
    }

    [Fact]
    public async Task Subscribing_DoesNotClearAMissedRevocation_OnlyTheRenewalThatTellsIt()
    {
        var registry = fixture.Client.LiveRegistry();
        var observer = new Observer(answers: true);
        var reference = fixture.Client.CreateObjectReference<ILiveObserver>(observer);
        var node = "node-" + Guid.NewGuid().ToString("N");
        try
        {
            await registry.SubscribeAsync(node, reference);
            await registry.MissedRevocationAsync([reference]);
            await registry.SubscribeAsync(node, reference);

            Assert.Equal(new LiveRenewal(Known: true, MissedRevocation: true), await registry.RenewAsync(node, reference));
            Assert.Equal(new LiveRenewal(Known: true, MissedRevocation: false), await registry.RenewAsync(node, reference));
        }
        finally
        {
            await registry.UnsubscribeAsync(node);
            fixture.Client.DeleteObjectReference<ILiveObserver>(reference);
            GC.KeepAlive(observer);
        }
    }

    /// <summary>A web node's observer that takes revocations, or never answers them (a hung node).</summary>
    private sealed class Observer(bool answers) : ILiveObserver
    {
        public List<SessionRevocation> Revocations { get; } = [];

        public Task OnBatchAsync(LiveBatch batch) => Task.CompletedTask;

        public Task DeliverAsync(string source, long firstSeq, LiveBatch[] batches) => Task.CompletedTask;

        public Task EndSessionsAsync(SessionRevocation revocation)
        {
            if (!answers)
                return new TaskCompletionSource().Task;
            lock (Revocations)
                Revocations.Add(revocation);
            return Task.CompletedTask;
        }
    }
}
