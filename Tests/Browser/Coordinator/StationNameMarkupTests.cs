using System.Net;
using Outreach.Contracts;
using Outreach.Tests.Dispatch;
using Outreach.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Outreach.Tests.Browser.Coordinator;

/// <summary>
/// Stored XSS through the live map: a coordinator names a station with markup; when an administrator hovers that
/// station, the name must show as text and no script may run.
/// </summary>
[Collection(BrowserCollection.Name)]
[Category(TestCategory.Browser)]
public sealed class StationNameMarkupTests(SystemFixture system, BrowserFixture browser)
{
    private const string Payload = "<img src=x onerror=\"window.__stationXss=1;alert('xss')\">驿站";

    [Fact]
    public async Task StationNamedWithMarkup_ShowsAsTextInTheAdminsTooltip_AndRunsNoScript()
    {
        using var coordinator = await TestUsers.CreateAsync(system.Web, "coordinator");
        var at = new Scene(system.Web).Family;
        var (status, station) = await coordinator.Client.PostAsync("/api/stations",
            new StationRequest(Payload, "测试地址 1 号", new PositionDto(at.Lat, at.Lon), CircleRadiusM: 500));
        Assert.True(status == HttpStatusCode.Created, $"station: {(int)status} {station}");

        await using var session = await PageSession.OpenAsync(browser, system.Web);
        var dialogs = new List<string>();
        session.Page.Dialog += (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };
        await session.SignInAsync(OutreachSystem.AdminLogin, OutreachSystem.AdminPassword);
        await session.GotoAsync("/coordinator");
        await Expect(session.Page.Locator("body")).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = 30_000 });

        // Station markers are the map's interactive red circles; hover each until the hostile one's tooltip opens.
        var tooltip = session.Page.Locator(".leaflet-tooltip", new() { HasText = "驿站" });
        var markers = session.Page.Locator("path.leaflet-interactive[fill='#c8102e']");
        var count = await markers.CountAsync();
        for (var i = 0; i < count && await tooltip.CountAsync() == 0; i++)
            await markers.Nth(i).HoverAsync(new() { Force = true });

        await Expect(tooltip).ToHaveTextAsync(Payload);
        await Expect(tooltip.Locator("img")).ToHaveCountAsync(0);
        Assert.Equal(0, await session.Page.Locator(".leaflet-pane img[src='x']").CountAsync());
        Assert.True(await session.Page.EvaluateAsync<bool>("() => window.__stationXss === undefined"), "the station name ran as script");
        Assert.Empty(dialogs);
        await session.ScreenshotAsync(fullPage: false);
        session.AssertNoScriptErrors();
    }
}
