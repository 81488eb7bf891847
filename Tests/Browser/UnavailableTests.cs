using Microsoft.Playwright;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Browser;

/// <summary>
/// The pages' API module on a 503 (storage or cluster briefly unavailable), with the answers staged by the
/// browser: a GET is tried again after Retry-After, a write only when the caller says it is safe to repeat, and
/// the message is "保存失败，请重试" in the page's language.
/// </summary>
[Collection(BrowserCollection.Name)]
[Category(TestCategory.Browser)]
public sealed class UnavailableTests(SystemFixture system, BrowserFixture browser)
{
    [Theory]
    [InlineData("zh-CN", "保存失败，请重试")]
    [InlineData("en", "Saving failed; please try again")]
    public async Task Api_On503_RetriesWhatIsSafeAfterRetryAfter_AndSaysSavingFailed(string lang, string message)
    {
        await using var session = await PageSession.OpenAsync(browser, system.Web);
        var calls = new Dictionary<string, int>();
        await session.Page.RouteAsync("**/api/probe/**", async route =>
        {
            var path = new Uri(route.Request.Url).AbsolutePath + " " + route.Request.Method;
            int count;
            lock (calls)
                count = calls[path] = calls.GetValueOrDefault(path) + 1;
            // Unavailable twice, then fine.
            if (count <= 2)
            {
                await route.FulfillAsync(new RouteFulfillOptions
                {
                    Status = 503,
                    ContentType = "application/problem+json",
                    Headers = new Dictionary<string, string> { ["Retry-After"] = "1" },
                    Body = """{"status":503,"title":"Temporarily unavailable.","detail":"storage","traceId":"00-x"}""",
                });
            }
            else
            {
                await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "application/json", Body = """{"ok":true}""" });
            }
        });
        await session.GotoAsync("/login?lang=" + lang);

        var result = await session.Page.EvaluateAsync<string[]>(@"async () => {
            const { api, errorText } = await import('/js/api.js');
            const started = performance.now();
            const got = await api('GET', '/api/probe/read');
            const waited = performance.now() - started;
            let refused = null;
            try { await api('POST', '/api/probe/write', { a: 1 }); } catch (e) { refused = e; }
            const repeated = await api('POST', '/api/probe/claim', undefined, { retries: 3 });
            return [String(got.ok), String(waited >= 1900), String(refused?.status), String(refused?.retryAfter),
                    String(refused?.isTemporary), errorText(refused), String(repeated.ok)];
        }");

        Assert.Equal(["true", "true", "503", "1", "true", message, "true"], result);
        Assert.Equal(3, calls["/api/probe/read GET"]);
        Assert.Equal(1, calls["/api/probe/write POST"]);
        Assert.Equal(3, calls["/api/probe/claim POST"]);
    }
}
