using Microsoft.Playwright;
using Outreach.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Outreach.Tests.Browser.Coordinator;

/// <summary>The coordinator's desk (/coordinator): opening it signed in, and the parts the tests look at.</summary>
public static class CoordinatorDesk
{
    /// <summary>
    /// Signs in as <paramref name="login"/> and opens /coordinator (with <paramref name="query"/>: <c>?lang=en</c>,
    /// <c>#rosters</c>…), waiting until the page has loaded its state. A desk that never gets ready leaves a screenshot.
    /// </summary>
    public static async Task<PageSession> OpenAsync(BrowserFixture browser, WebNode web, string login, string password, string query = "")
    {
        var session = await PageSession.OpenAsync(browser, web);
        await session.SignInAsync(login, password);
        await DeskMap.WatchAsync(session.Page);
        var response = await session.GotoAsync("/coordinator" + query);
        Assert.Equal(200, response!.Status);
        try
        {
            // The first hub connection of a fresh page can take a few seconds on a busy machine.
            await Expect(session.Page.Locator("body")).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = 30_000 });
        }
        catch (PlaywrightException)
        {
            await session.ScreenshotAsync("OpenDesk-not-ready", fullPage: false);
            session.AssertNoScriptErrors();
            throw;
        }
        return session;
    }

    /// <summary>Opens the desk as a coordinator made by <see cref="TestUsers"/>.</summary>
    public static Task<PageSession> OpenAsync(BrowserFixture browser, WebNode web, TestUser coordinator, string query = "") =>
        OpenAsync(browser, web, coordinator.Login, TestUsers.Password, query);

    /// <summary>Opens the desk as the system's administrator (who also sees the accounts and audit tabs).</summary>
    public static Task<PageSession> OpenAsAdminAsync(BrowserFixture browser, WebNode web, string query = "") =>
        OpenAsync(browser, web, OutreachSystem.AdminLogin, OutreachSystem.AdminPassword, query);

    /// <summary>A request's pin on the live map.</summary>
    public static ILocator Pin(IPage page, Guid requestId) => page.Locator($".req-pin[data-id='{requestId}']");

    /// <summary>A request's line in the queue.</summary>
    public static ILocator QueueRow(IPage page, Guid requestId) => page.Locator($"#queue li[data-id='{requestId}']");

    /// <summary>
    /// Chooses a request in the queue as a coordinator would, clicking its line again if the click did not take: the
    /// queue is drawn anew on every live change (a request arriving reorders it), so a click can land while its line
    /// moves.
    /// </summary>
    public static async Task ChooseAsync(IPage page, Guid requestId)
    {
        var line = QueueRow(page, requestId);
        for (var attempt = 1; ; attempt++)
        {
            await line.ClickAsync();
            try
            {
                await Assertions.Expect(line).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bselected\b"), new() { Timeout = 2_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>The chosen request's details.</summary>
    public static ILocator Detail(IPage page) => page.Locator("#detail");

    /// <summary>The chosen request's timeline.</summary>
    public static ILocator Timeline(IPage page) => page.Locator("#timeline");

    /// <summary>The chosen request's candidates, best first.</summary>
    public static ILocator Candidates(IPage page) => page.Locator("#candidates li");

    /// <summary>The assign button of one candidate.</summary>
    public static ILocator AssignButton(IPage page, Guid volunteerId) => page.Locator($"#candidates li[data-volunteer-id='{volunteerId}'] button");

    /// <summary>A tab's button (<c>live</c>, <c>figures</c>, <c>rosters</c>, <c>accounts</c>, <c>audit</c>).</summary>
    public static ILocator Tab(IPage page, string tab) => page.Locator($".co-tab[data-tab='{tab}']");

    /// <summary>The line that says whether the last form was saved (class <c>error</c> when not).</summary>
    public static ILocator Flash(IPage page) => page.Locator("#co-flash");

    /// <summary>A station's row in the rosters.</summary>
    public static ILocator StationRow(IPage page, Guid stationId) => page.Locator($"#stations-table tr[data-id='{stationId}']");

    /// <summary>A volunteer's row in the rosters, by name.</summary>
    public static ILocator VolunteerRow(IPage page, string name) => page.Locator($"#volunteers-table tr[data-name='{name}']");

    /// <summary>An account's row in the accounts tab.</summary>
    public static ILocator AccountRow(IPage page, string login) => page.Locator($"#accounts-table tr[data-login='{login}']");
}
