using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Browser;

/// <summary>
/// One browser context (its own cookies and storage) and page on a web node: log in through the login page,
/// go to pages, take screenshots into <c>TestResults/screenshots/</c>, and check the page threw no script error.
/// </summary>
public sealed class PageSession : IAsyncDisposable
{
    /// <summary>How long a Playwright action or expectation waits before failing.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentQueue<string> _scriptErrors = new();

    private PageSession(IBrowserContext context, IPage page, Uri baseUrl)
    {
        Context = context;
        Page = page;
        BaseUrl = baseUrl;
        page.PageError += (_, error) => _scriptErrors.Enqueue(error);
        // Failed loads are recorded with their URL from the response (the console message has none).
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
                _scriptErrors.Enqueue($"console: {message.Text}");
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400 && new Uri(response.Url).AbsolutePath != "/favicon.ico")
                _scriptErrors.Enqueue($"HTTP {response.Status} {response.Request.Method} {new Uri(response.Url).PathAndQuery}");
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public Uri BaseUrl { get; }

    /// <summary>The folder screenshots go to: <c>TestResults/screenshots</c> under the repository root.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(RepoPaths.Root, "TestResults", "screenshots");

    /// <summary>Opens a new context and page on <paramref name="web"/>.</summary>
    public static async Task<PageSession> OpenAsync(BrowserFixture browser, WebNode web, PageSessionOptions? options = null)
    {
        options ??= PageSessionOptions.Desktop;
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = web.Url.ToString(),
            ViewportSize = new ViewportSize { Width = options.Width, Height = options.Height },
            IsMobile = options.Mobile,
            HasTouch = options.Mobile,
            Locale = options.Locale,
            Geolocation = options.Geolocation,
            Permissions = options.Permissions,
        });
        context.SetDefaultTimeout((float)Timeout.TotalMilliseconds);
        // A Content-Security-Policy violation is a script error too (Chromium logs most, not all, of them).
        await context.AddInitScriptAsync(
            "document.addEventListener('securitypolicyviolation', e => console.error(" +
            "`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`));");
        var page = await context.NewPageAsync();
        return new PageSession(context, page, web.Url);
    }

    /// <summary>Goes to <paramref name="path"/> (relative to the web node) and answers the main response.</summary>
    public Task<IResponse?> GotoAsync(string path) => Page.GotoAsync(path);

    /// <summary>Logs in through the login page and waits until the browser has left it.</summary>
    public async Task LoginAsync(string login, string password, string loginPath = "/login")
    {
        await Page.GotoAsync(loginPath);
        await Page.Locator("#login").FillAsync(login);
        await Page.Locator("#password").FillAsync(password);
        await Page.Locator("#login-submit").ClickAsync();
        await Page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.StartsWith("/login", StringComparison.Ordinal));
    }

    /// <summary>Logs in through the API (the context's cookie jar keeps the cookie), without opening a page.</summary>
    public async Task SignInAsync(string login, string password)
    {
        var response = await Context.APIRequest.PostAsync("/api/auth/login", new APIRequestContextOptions
        {
            DataObject = new { login, password },
        });
        Assert.True(response.Ok, $"logging in {login}: HTTP {response.Status} {await response.TextAsync()}");
    }

    /// <summary>The path (and query) the page shows now.</summary>
    public string CurrentPath => new Uri(Page.Url).PathAndQuery;

    /// <summary>Waits until the page's path matches <paramref name="path"/> (the whole path, any query).</summary>
    public Task WaitForPathAsync(string path) =>
        Page.WaitForURLAsync(new Regex("^[a-z]+://[^/]+" + Regex.Escape(path) + @"(\?.*)?$"));

    /// <summary>
    /// Saves a PNG as <c>TestResults/screenshots/{name}.png</c>; name defaults to the calling test. The whole
    /// page by default, only the screen with <paramref name="fullPage"/> false (for very long pages).
    /// </summary>
    public async Task<string> ScreenshotAsync(string? name = null, bool fullPage = true, [CallerMemberName] string test = "")
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var path = Path.Combine(ScreenshotFolder, $"{name ?? test}.png");
        // Chromium now and then refuses a capture right after a load ("Unable to capture screenshot": no frame drawn
        // yet; seen once in CI on a stylesheet opened as a page). The picture is for people: ask again after a moment.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
                return path;
            }
            catch (PlaywrightException e) when (attempt < 3 && e.Message.Contains("Unable to capture screenshot", StringComparison.Ordinal))
            {
                await Task.Delay(250 * attempt);
            }
        }
    }

    /// <summary>
    /// Fails when the page threw an uncaught error or logged one to the console (a failed load is logged too),
    /// except messages containing one of <paramref name="expected"/> (e.g. "HTTP 401" after a wrong password).
    /// </summary>
    public void AssertNoScriptErrors(params string[] expected)
    {
        var errors = _scriptErrors.Where(e => !expected.Any(x => e.Contains(x, StringComparison.Ordinal))).ToList();
        Assert.True(errors.Count == 0, "The page reported script errors:\n" + string.Join('\n', errors));
    }

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}
