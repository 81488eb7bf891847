using Outreach.Tests.Dispatch;
using Outreach.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Outreach.Tests.Browser.Volunteer;

/// <summary>A system and a browser of their own: these tests kill and restart the web process.</summary>
[CollectionDefinition(Name)]
public sealed class VolunteerRestartCollection : ICollectionFixture<SystemFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser (web restarts)";
}

[Collection(VolunteerRestartCollection.Name)]
[Category(TestCategory.Browser)]
public sealed class VolunteerReconnectTests(SystemFixture system, BrowserFixture browser)
{
    private static readonly float ReconnectTimeoutMs = 45_000;

    [Fact]
    public async Task WebRestart_ThePageReconnects_AndShowsEveryOfferOnce()
    {
        var web = system.Web;
        var scene = new Scene(web);
        using var volunteer = await scene.VolunteerAsync(at: null, onDuty: false);
        using var hotline = await TestUsers.CreateAsync(web, "operator");
        await using var session = await VolunteerPage.OpenAsync(browser, web, volunteer, scene.Offset(90, -60));
        await VolunteerPage.GoOnDutyAsync(session);
        var before = await scene.RequestAsync(hotline.Client);
        await Expect(VolunteerPage.Offer(session, before)).ToBeVisibleAsync();

        await web.Process.KillAsync();

        var badge = session.Page.Locator(".conn-badge");
        await Expect(badge).ToHaveAttributeAsync("data-state", "reconnecting");
        await Expect(badge).ToHaveTextAsync("重新连接中");
        await VolunteerPage.ScreenshotAsync(session, "Volunteer-3-reconnecting");
        // While the page's node is down, a request comes in through another node: the page must not miss it.
        var other = await system.System.StartWebAsync();
        using var hotlineElsewhere = await other.LoginAsync(hotline.Login, TestUsers.Password);
        var during = await scene.RequestAsync(hotlineElsewhere);
        await system.System.RestartWebAsync(web);

        await Expect(badge).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = ReconnectTimeoutMs });
        await Expect(VolunteerPage.Offer(session, during)).ToHaveCountAsync(1);
        await Expect(VolunteerPage.Offer(session, before)).ToHaveCountAsync(1);
        await Expect(session.Page.Locator(".offer")).ToHaveCountAsync(2);
        await Expect(session.Page.Locator("#offers-count")).ToHaveTextAsync("2");

        // Still live after the reconnect: a new offer arrives once.
        var after = await scene.RequestAsync(hotline.Client);
        await Expect(VolunteerPage.Offer(session, after)).ToHaveCountAsync(1);
        await Expect(session.Page.Locator(".offer")).ToHaveCountAsync(3);
        await VolunteerPage.ScreenshotAsync(session);
        // What the SignalR client and the browser log while the server is down (the page reconnects by WebSocket
        // straight away), and nothing else.
        session.AssertNoScriptErrors("Connection disconnected with error", "Failed to complete negotiation with the server",
            "Failed to start the connection", "WebSocket connection to ");
    }
}
