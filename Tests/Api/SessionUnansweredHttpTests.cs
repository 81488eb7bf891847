using System.Net;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Api;

/// <summary>
/// The cookie check on a node without a copy of the account, while the account grain does not answer in 2 s,
/// must answer 503 with Retry-After (AccountStatus throws inside OnValidatePrincipal; the exception handler is before
/// authentication) — neither 200 (admitted) nor 500.
/// </summary>
[Collection(SystemCollection.Name)]
[Category(TestCategory.System)]
public sealed class SessionUnansweredHttpTests(SystemFixture fixture)
{
    [Fact]
    public async Task ACookieOnANodeWithoutACopy_WhileTheAccountGrainIsHeld_Answers503WithRetryAfter()
    {
        var nodeB = await ExtraNodes.SecondAsync(fixture.System);
        using var user = await TestUsers.CreateAsync(fixture.Web, "operator");
        using var admin = await fixture.Web.AdminAsync();
        using var onB = nodeB.As(user.Client); // node B never saw this account: no copy

        HttpResponseMessage answer;
        await using (await StorageFaults.FailWritesAsync(fixture.System.ConnectionString, "orleansstorage", "NEW.graintypestring = 'account'",
            TimeSpan.FromSeconds(13))) // past the node's 10 s wait for the account grain
        {
            var disable = admin.PostAsync($"/api/accounts/{user.Login}/disable", null); // holds the grain 6 s
            await Task.Delay(500);
            answer = await onB.Http.GetAsync(new Uri("/api/me", UriKind.Relative));
            await disable;
        }
        var after = await onB.Http.GetAsync(new Uri("/api/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
        Assert.NotNull(answer.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode); // the cookie was kept for the retry; the disable failed
    }
}
