using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Outreach.Accounts;
using Outreach.Model;
using Outreach.Tests.Infrastructure;
using Outreach.Web.Auth;

namespace Outreach.Tests.Security;

/// <summary>
/// A web node's copy of an account read from its grain must never replace a revocation pushed to the node meanwhile:
/// the copy would admit the revoked session for <see cref="SessionOptions.StatusCacheFor"/>.
/// </summary>
[Category(TestCategory.Grains)]
[Collection(PostgresClusterCollection.Name)]
public sealed class AccountStatusRaceTests(PostgresClusterFixture fixture)
{
    [Fact]
    public async Task ARevocationPushedWhileTheReadIsBeingRemembered_IsNotOverwrittenByTheOlderRead()
    {
        var client = fixture.Client;
        var login = "race-" + Guid.NewGuid().ToString("N");
        var key = AccountKeys.For(login);
        var grain = client.GetGrain<IAccountGrain>(key);
        Assert.True(await grain.CreateAsync(new Account(Guid.NewGuid(), login, "竞态", [Roles.Operator], "pbkdf2$hash", null)));
        var before = (await grain.GetAsync())!;

        // The revocation's push reaches the node (another thread: the Orleans observer) right after the request's read
        // of the grain passed its "no revocation meanwhile" check and before it stored what it read. The options'
        // getter (its second read) is the only code between the two, so the test lands the push there.
        var options = new HookedOptions();
        var status = new AccountStatus(client, options, NullLogger<AccountStatus>.Instance);
        status.FeedUp(mayHaveMissed: false);
        Task? push = null;
        options.Once = () =>
        {
            var revoked = grain.EndSessionsAsync().GetAwaiter().GetResult()!;
            push = Task.Run(() => status.Apply(new SessionRevocation(key, revoked.Id, revoked.SecurityStamp, revoked.Disabled)));
            push.Wait(TimeSpan.FromSeconds(1)); // the observer's thread runs meanwhile (unless it has to wait for this read)
        };

        Assert.True(await status.IsCurrentAsync(login, before.Id, before.SecurityStamp)); // read before the revocation
        await push!;

        // "Log out everywhere" has answered and this node took the push: the old session is over here.
        Assert.NotEqual(before.SecurityStamp, (await grain.GetAsync())!.SecurityStamp);
        Assert.False(await status.IsCurrentAsync(login, before.Id, before.SecurityStamp),
            "the revoked session is still admitted: the older read replaced the pushed revocation");
    }

    private sealed class HookedOptions : IOptions<SessionOptions>
    {
        private readonly SessionOptions _value = new();

        public Action? Once { get; set; }

        public SessionOptions Value
        {
            get
            {
                // The first read of the options is the check's timeout, before the grain is read; the second is the
                // cache's lifetime, after the read's "no revocation meanwhile" check and before it is remembered.
                if (Interlocked.Increment(ref _reads) == 2 && Once is { } hook)
                    hook();
                return _value;
            }
        }

        private int _reads;
    }
}
