using Outreach.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Outreach.Tests.Browser;

/// <summary>
/// Every page runs under the Content-Security-Policy it is served with: no inline script or style, nothing from
/// another host; and the policy really bites (an injected inline script is blocked and reported).
/// </summary>
[Collection(BrowserCollection.Name)]
[Category(TestCategory.Browser)]
public sealed class ContentSecurityPolicyTests(SystemFixture system, BrowserFixture browser)
{
    [Theory]
    [InlineData(null, "/login")]
    [InlineData("volunteer", "/volunteer")]
    [InlineData("operator", "/operator")]
    [InlineData("coordinator", "/coordinator")]
    [InlineData("volunteer", "/coordinator")] // the forbidden page
    public async Task Page_UnderTheContentSecurityPolicy_LoadsWithoutAViolation(string? role, string path)
    {
        using var user = role is null ? null : await TestUsers.CreateAsync(system.Web, role);
        await using var session = await PageSession.OpenAsync(browser, system.Web);
        if (user is not null)
            await session.SignInAsync(user.Login, TestUsers.Password);

        var response = await session.GotoAsync(path);

        var csp = await response!.HeaderValueAsync("content-security-policy");
        Assert.NotNull(csp);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        if (path == "/login" || role == "coordinator" || role == "operator")
        {
            // Pages that start a live connection or a map say so when they are ready; the login page has its form.
            var ready = path == "/login" ? session.Page.Locator("#login-form") : session.Page.Locator("body[data-ready='true']");
            await Expect(ready).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        }
        await session.Page.WaitForLoadStateAsync(Microsoft.Playwright.LoadState.NetworkIdle);
        session.AssertNoScriptErrors("HTTP 403 GET /coordinator");
    }

    [Fact]
    public async Task InjectedInlineScript_IsBlocked_AndTheViolationIsReported()
    {
        await using var session = await PageSession.OpenAsync(browser, system.Web);
        await session.GotoAsync("/login");

        await session.Page.RunAndWaitForConsoleMessageAsync(() => session.Page.EvaluateAsync(@"() => {
                const script = document.createElement('script');
                script.textContent = 'window.__inlineRan = true;';
                document.body.append(script);
            }"),
            new() { Predicate = m => m.Text.Contains("script-src", StringComparison.Ordinal) });

        Assert.True(await session.Page.EvaluateAsync<bool>("() => window.__inlineRan === undefined"), "an inline script ran");
        var error = Assert.Throws<Xunit.Sdk.TrueException>(() => session.AssertNoScriptErrors());
        Assert.Contains("script-src", error.Message, StringComparison.Ordinal);
    }
}
