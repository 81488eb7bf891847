using Microsoft.Extensions.Options;
using Outreach.Accounts;
using Outreach.Model;
using Outreach.Tests.Infrastructure;
using Outreach.Web.Auth;

namespace Outreach.Tests.Security;

/// <summary>
/// A web node whose account grain does not answer within <see cref="SessionOptions.AccountCheckTimeout"/> (2 s here), and which has no
/// copy of the account it trusts, answers that a retry is needed (the fault, a 503 to the caller) — never "current":
/// that admitted a disabled account's sessions, or a revoked session from a copy the node had stopped trusting. The
/// grain is made slow the ordinary way: an administrator's edit of the account is held by a slow database write, and
/// the grain (not reentrant) answers nothing else meanwhile.
/// </summary>
[Category(TestCategory.Grains)]
[Collection(PostgresClusterCollection.Name)]
public sealed class AccountStatusUnansweredTests(PostgresClusterFixture fixture)
{
    private static readonly TimeSpan SlowWrite = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task ADisabledAccount_IsNotAdmitted_ByANodeWithoutACopy_WhileItsGrainIsSlow()
    {
        var (login, grain, account) = await AccountAsync("disabled");
        var disabled = await grain.UpsertAsync(account with { Disabled = true });
        var node = Node(); // no copy: started since, its copy expired, or forgotten after a missed revocation

        await using (await StorageFaults.FailWritesAsync(fixture.ConnectionString, "orleansstorage", "NEW.graintypestring = 'account'", SlowWrite))
        {
            var edit = grain.UpsertAsync(disabled with { Name = "改了名字" });
            await Task.Delay(300); // the edit holds the grain
            await Assert.ThrowsAsync<TimeoutException>(() => node.IsCurrentAsync(login, account.Id, account.SecurityStamp));
            await Assert.ThrowsAsync<TimeoutException>(() => node.IsCurrentAsync(login, disabled.Id, disabled.SecurityStamp));
            await Assert.ThrowsAnyAsync<Exception>(() => edit);
        }

        Assert.False(await node.IsCurrentAsync(login, disabled.Id, disabled.SecurityStamp)); // answered again: refused
    }

    [Fact]
    public async Task ARevokedSession_IsNotAdmitted_FromACopyTheNodeStoppedTrusting_WhileItsGrainIsSlow()
    {
        var (login, grain, account) = await AccountAsync("revoked");
        var node = Node();
        Assert.True(await node.IsCurrentAsync(login, account.Id, account.SecurityStamp)); // the node's copy

        // "Log out everywhere" while this node's revocation feed is down (no push reaches it).
        var revoked = (await grain.EndSessionsAsync())!;
        node.FeedDown();

        await using (await StorageFaults.FailWritesAsync(fixture.ConnectionString, "orleansstorage", "NEW.graintypestring = 'account'", SlowWrite))
        {
            var edit = grain.UpsertAsync(revoked with { Name = "改了名字" });
            await Task.Delay(300);
            await Assert.ThrowsAsync<TimeoutException>(() => node.IsCurrentAsync(login, account.Id, account.SecurityStamp));
            await Assert.ThrowsAnyAsync<Exception>(() => edit);
        }

        Assert.False(await node.IsCurrentAsync(login, account.Id, account.SecurityStamp));
    }

    private AccountStatus Node()
    {
        var status = new AccountStatus(fixture.Client, Options.Create(new SessionOptions { AccountCheckTimeout = TimeSpan.FromSeconds(2) }),
            new ListLogger<AccountStatus>());
        status.FeedUp(mayHaveMissed: false);
        return status;
    }

    private async Task<(string Login, IAccountGrain Grain, Account Account)> AccountAsync(string prefix)
    {
        var login = prefix + "-" + Guid.NewGuid().ToString("N");
        var grain = fixture.Client.GetGrain<IAccountGrain>(AccountKeys.For(login));
        Assert.True(await grain.CreateAsync(new Account(Guid.NewGuid(), login, "慢的人", [Roles.Operator], "pbkdf2$hash", null)));
        return (login, grain, (await grain.GetAsync())!);
    }
}
