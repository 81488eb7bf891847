using Outreach.Tests.Dispatch;
using Outreach.Tests.Infrastructure;
using Outreach.Tests.Push;
using static Microsoft.Playwright.Assertions;

namespace Outreach.Tests.Browser.Volunteer;

/// <summary>The volunteer's page on a phone against the real system: duty, live offers, claim, the steps to done.</summary>
[Collection(BrowserCollection.Name)]
[Category(TestCategory.Browser)]
public sealed class VolunteerPageTests(SystemFixture system, BrowserFixture browser)
{
    private const string Address = "华龙区 中原路 2号院 5号楼 301";

    private WebNode Web => system.Web;

    [Fact]
    public async Task Offer_ToTwoNearVolunteers_OneClaimsAndGoesToDone_TheOtherSeesItGone()
    {
        var scene = new Scene(Web);
        using var first = await scene.VolunteerAsync(at: null, onDuty: false);
        using var second = await scene.VolunteerAsync(at: null, onDuty: false);
        using var far = await scene.VolunteerAsync(at: null, onDuty: false);
        using var hotline = await TestUsers.CreateAsync(Web, "operator");
        await using var claimer = await VolunteerPage.OpenAsync(browser, Web, first, scene.Offset(120, 0));
        await using var other = await VolunteerPage.OpenAsync(browser, Web, second, scene.Offset(-150, 80));
        await using var away = await VolunteerPage.OpenAsync(browser, Web, far, scene.Offset(25_000, 0));
        foreach (var page in new[] { claimer, other, away })
            await VolunteerPage.GoOnDutyAsync(page);
        Assert.True((await VolunteerPage.MeAsync(first))["onDuty"]!.GetValue<bool>(), "the page put the volunteer on duty");

        var posted = new List<string>();
        claimer.Page.Request += (_, request) =>
        {
            if (request.Method == "POST")
                lock (posted)
                    posted.Add(request.Url);
        };
        var id = await scene.RequestAsync(hotline.Client);

        var offer = VolunteerPage.Offer(claimer, id);
        await Expect(offer).ToBeVisibleAsync();
        await Expect(VolunteerPage.Offer(other, id)).ToBeVisibleAsync();
        await Expect(offer.Locator(".offer-category")).ToHaveTextAsync("药箱子");
        await Expect(offer.Locator(".offer-urgency")).ToHaveTextAsync("加急");
        await Expect(offer.Locator(".offer-age")).ToHaveTextAsync("刚刚");
        await Expect(offer.Locator(".offer-distance")).ToContainTextAsync("米");
        await Expect(offer.Locator(".offer-map path.leaflet-interactive").First).ToBeVisibleAsync();
        await VolunteerPage.ScreenshotAsync(claimer, "Volunteer-1-offer");
        await Expect(away.Page.Locator(".offer")).ToHaveCountAsync(0);
        var (_, farOffers) = await far.Client.GetAsync("/api/volunteers/me/offers");
        Assert.Empty(farOffers!.AsArray());
        await VolunteerPage.ScreenshotAsync(away, "Volunteer-1-far-away");

        // The page acknowledged the offer on its live connection: in the delivery record, and no HTTP request for it.
        await Deliveries.WaitForAsync(system.System.ConnectionString, id, first.VolunteerId!.Value,
            r => r is { Event: "offer", Channel: "socket", Outcome: "seen" }, "the page's acknowledgement");
        lock (posted)
            Assert.DoesNotContain(posted, url => url.Contains("/seen", StringComparison.Ordinal));
        await offer.Locator(".offer-claim").ClickAsync();

        var card = VolunteerPage.Assignment(claimer, id);
        await Expect(card.Locator(".assignment-address")).ToHaveTextAsync(Address);
        lock (posted)
            Assert.DoesNotContain(posted, url => url.Contains("/claim", StringComparison.Ordinal)); // claimed on the live connection
        await Expect(card.Locator(".assignment-phone")).ToHaveAttributeAsync("href", "tel:+8613803930001");
        await Expect(card.Locator(".assignment-description")).ToHaveTextAsync("老人血压高，需要买药并陪同");
        await Expect(card.Locator(".assignment-navigate")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^https://uri\\.amap\\.com/navigation\\?to="));
        var navigate = await card.Locator(".assignment-navigate").GetAttributeAsync("href");
        Assert.DoesNotContain(Uri.EscapeDataString(Address), navigate!, StringComparison.Ordinal); // the address never goes into a URL
        Assert.DoesNotContain(Address, Uri.UnescapeDataString(navigate!), StringComparison.Ordinal);
        await Expect(claimer.Page.Locator(".offer")).ToHaveCountAsync(0);
        await Expect(VolunteerPage.Offer(other, id)).ToHaveCountAsync(0);
        await Expect(other.Page.Locator(".message-volunteer-withdrawn-taken")).ToHaveTextAsync("一条求助已被其他志愿者接单");
        await VolunteerPage.ScreenshotAsync(other, "Volunteer-1-taken-by-another");
        Assert.Equal("Claimed", await VolunteerPage.StatusAsync(hotline.Client, id));
        await Expect(card.Locator(".assignment-arrived")).ToBeDisabledAsync();
        await Expect(card.Locator(".assignment-done")).ToBeDisabledAsync();
        await VolunteerPage.ScreenshotAsync(claimer, "Volunteer-1-claimed");

        await card.Locator(".assignment-enroute").ClickAsync();
        await Expect(card).ToHaveAttributeAsync("data-status", "EnRoute");
        Assert.Equal("EnRoute", await VolunteerPage.StatusAsync(hotline.Client, id));
        await Expect(card.Locator(".assignment-enroute")).ToBeDisabledAsync();

        await card.Locator(".assignment-arrived").ClickAsync();
        await Expect(card).ToHaveAttributeAsync("data-status", "OnSite");
        Assert.Equal("OnSite", await VolunteerPage.StatusAsync(hotline.Client, id));
        await Expect(card.Locator(".assignment-cantgo")).ToBeDisabledAsync();
        await card.Locator(".assignment-note").FillAsync("药已送到，老人情况稳定");
        await VolunteerPage.ScreenshotAsync(claimer, "Volunteer-1-on-site");

        await card.Locator(".assignment-done").ClickAsync();
        await Expect(card).ToHaveCountAsync(0);
        await Expect(claimer.Page.Locator(".message-volunteer-done-completed")).ToHaveTextAsync("服务已完成，谢谢您！");
        Assert.Equal("Completed", await VolunteerPage.StatusAsync(hotline.Client, id));
        await VolunteerPage.ScreenshotAsync(claimer);
        foreach (var page in new[] { claimer, other, away })
            page.AssertNoScriptErrors();
    }

    [Fact]
    public async Task LiveConnection_IsAWebSocketWithoutANegotiateRequest_AndNegotiatesWhenWebSocketsAreRefused()
    {
        var scene = new Scene(Web);
        using var direct = await scene.VolunteerAsync(at: scene.Offset(70, 0), onDuty: true);
        using var blocked = await scene.VolunteerAsync(at: scene.Offset(0, 70), onDuty: true);
        using var hotline = await TestUsers.CreateAsync(Web, "operator");
        await using var straight = await VolunteerPage.OpenAsync(browser, Web, direct, scene.Offset(70, 0));
        // A proxy that refuses WebSockets: every WebSocket to the hub is closed before it opens.
        await using var proxied = await PageSession.OpenAsync(browser, Web, VolunteerPage.Phone(scene.Offset(0, 70)));
        await proxied.SignInAsync(blocked.Login, TestUsers.Password);
        var refused = 0;
        await proxied.Page.RouteWebSocketAsync(new System.Text.RegularExpressions.Regex("/hubs/live"), socket =>
        {
            Interlocked.Increment(ref refused);
            _ = socket.CloseAsync(new() { Code = 1011, Reason = "no websockets here" });
        });
        await proxied.GotoAsync("/volunteer");
        await Expect(proxied.Page.Locator(".conn-badge")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 20_000 });

        var id = await scene.RequestAsync(hotline.Client);

        await Expect(VolunteerPage.Offer(straight, id)).ToBeVisibleAsync();
        await Expect(VolunteerPage.Offer(proxied, id)).ToBeVisibleAsync();
        const string Fetched = "performance.getEntriesByType('resource').map(e => e.name)";
        Assert.DoesNotContain(await straight.Page.EvaluateAsync<string[]>(Fetched), url => url.Contains("/hubs/live/negotiate", StringComparison.Ordinal));
        Assert.Contains(await proxied.Page.EvaluateAsync<string[]>(Fetched), url => url.Contains("/hubs/live/negotiate", StringComparison.Ordinal));
        Assert.True(refused >= 1, "the WebSocket was tried first");
        straight.AssertNoScriptErrors();
        proxied.AssertNoScriptErrors("WebSocket", "Failed to start the transport", "Failed to start the connection");
    }

    [Fact]
    public async Task GeolocationRefused_TheVolunteerPicksTheirPositionOnTheMap()
    {
        var scene = new Scene(Web);
        using var volunteer = await scene.VolunteerAsync(at: scene.Family, onDuty: false);
        await using var session = await VolunteerPage.OpenAsync(browser, Web, volunteer, at: null);

        await session.Page.Locator("#duty-toggle").ClickAsync();

        await Expect(session.Page.Locator("#duty-state")).ToHaveAttributeAsync("data-state", "on");
        await Expect(session.Page.Locator("#geo-note")).ToHaveTextAsync("未获得定位权限：请在下方地图上点击您所在的位置");
        await Expect(session.Page.Locator("#position-hint")).ToBeVisibleAsync();
        var map = session.Page.Locator("#position-map");
        var box = (await map.BoundingBoxAsync())!;
        // Up and to the right of the centre (the volunteer's last known position).
        await map.ClickAsync(new() { Position = new() { X = box.Width / 2 + 80, Y = box.Height / 2 - 50 } });

        await Expect(session.Page.Locator("#geo-sent")).ToContainTextAsync("已按地图选点上报位置");
        var position = (await VolunteerPage.MeAsync(volunteer))["lastPosition"]!["position"]!;
        var (lat, lon) = (position["lat"]!.GetValue<double>(), position["lon"]!.GetValue<double>());
        Assert.True(lat > scene.Family.Lat && lon > scene.Family.Lon, $"the picked point ({lat}, {lon}) is north-east of {scene.Family}");
        Assert.True(lat - scene.Family.Lat < 0.01 && lon - scene.Family.Lon < 0.01, $"the picked point ({lat}, {lon}) is near {scene.Family}");
        Assert.True((await VolunteerPage.MeAsync(volunteer))["onDuty"]!.GetValue<bool>());
        await VolunteerPage.ScreenshotAsync(session);
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task LanguageSwitch_ChangesTheVisibleStringsAndIsRemembered()
    {
        var scene = new Scene(Web);
        using var volunteer = await scene.VolunteerAsync(at: null, onDuty: false);
        using var hotline = await TestUsers.CreateAsync(Web, "operator");
        await using var session = await VolunteerPage.OpenAsync(browser, Web, volunteer, scene.Offset(100, 100));
        await Expect(session.Page.Locator("#duty-state")).ToHaveTextAsync("未值班");
        await Expect(session.Page.Locator("#duty-toggle")).ToHaveTextAsync("开始值班");
        await VolunteerPage.GoOnDutyAsync(session);
        var id = await scene.RequestAsync(hotline.Client);
        var offer = VolunteerPage.Offer(session, id);
        await VolunteerPage.ExpectOfferAsync(session, id, hotline.Client);
        await Expect(session.Page.Locator(".conn-badge")).ToHaveTextAsync("已连接");

        await session.Page.Locator(".lang-switch").ClickAsync();

        await Expect(session.Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(session.Page.Locator("#duty-state")).ToHaveTextAsync("On duty");
        await Expect(session.Page.Locator("#duty-toggle")).ToHaveTextAsync("Go off duty");
        await Expect(session.Page.Locator("#offers-heading")).ToContainTextAsync("Requests nearby");
        await Expect(session.Page.Locator(".conn-badge")).ToHaveTextAsync("Connected");
        await Expect(offer.Locator(".offer-category")).ToHaveTextAsync("Medicine");
        await Expect(offer.Locator(".offer-urgency")).ToHaveTextAsync("Urgent");
        await Expect(offer.Locator(".offer-claim")).ToHaveTextAsync("Claim");
        await Expect(offer.Locator(".offer-age")).ToHaveTextAsync("just now");
        Assert.Equal("Volunteer · 15-Minute Service Circle", await session.Page.TitleAsync());
        await VolunteerPage.ScreenshotAsync(session);

        await session.Page.ReloadAsync();
        await Expect(session.Page.Locator("#duty-toggle")).ToHaveTextAsync("Go off duty");
        await Expect(VolunteerPage.Offer(session, id).Locator(".offer-claim")).ToHaveTextAsync("Claim");

        // The installable app: the manifest is served as a manifest and the shell's service worker is running.
        var manifest = await session.Context.APIRequest.GetAsync("/volunteer.webmanifest");
        Assert.Equal("application/manifest+json", manifest.Headers["content-type"].Split(';')[0]);
        Assert.EndsWith("/sw.js", await session.Page.EvaluateAsync<string>(
            "async () => (await navigator.serviceWorker.ready).active.scriptURL"), StringComparison.Ordinal);
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task ServiceWorker_HasEveryFileThePageLoadedInItsCache()
    {
        var scene = new Scene(Web);
        using var volunteer = await scene.VolunteerAsync(at: null, onDuty: false);
        await using var session = await VolunteerPage.OpenAsync(browser, Web, volunteer, scene.Offset(0, 0));

        // The shell's cache is filled before the worker becomes active; the files are those the page fetched.
        var files = await session.Page.EvaluateAsync<string[][]>(@"async () => {
            await navigator.serviceWorker.ready;
            const cached = new Set();
            for (const name of (await caches.keys()).filter(n => n.startsWith('outreach-volunteer-shell-')))
                for (const request of await (await caches.open(name)).keys()) cached.add(new URL(request.url).pathname);
            const loaded = new Set([location.pathname, ...performance.getEntriesByType('resource')
                .map(entry => new URL(entry.name))
                .filter(url => url.origin === location.origin && !url.pathname.startsWith('/api/') && !url.pathname.startsWith('/hubs/'))
                .map(url => url.pathname)]);
            return [[...loaded].sort(), [...cached].sort()];
        }");
        var (loaded, cached) = (files[0], files[1]);

        Assert.Contains("/js/volunteer.js", loaded);
        Assert.Contains("/js/lifecycle.js", loaded);
        var missing = loaded.Except(cached).ToArray();
        Assert.True(missing.Length == 0, $"loaded but not in the service worker's cache: {string.Join(", ", missing)}");
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Description_WithScript_IsShownAsText()
    {
        const string description = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\"> 请带降压药";
        var scene = new Scene(Web);
        using var volunteer = await scene.VolunteerAsync(at: null, onDuty: false);
        using var hotline = await TestUsers.CreateAsync(Web, "operator");
        await using var session = await VolunteerPage.OpenAsync(browser, Web, volunteer, scene.Offset(-80, 40));
        await VolunteerPage.GoOnDutyAsync(session);
        var id = await VolunteerPage.RequestAsync(hotline.Client, scene.Family, description);

        await VolunteerPage.Offer(session, id).Locator(".offer-claim").ClickAsync();

        var shown = VolunteerPage.Assignment(session, id).Locator(".assignment-description");
        await Expect(shown).ToHaveTextAsync(description);
        Assert.Equal(description, await shown.EvaluateAsync<string>("e => e.textContent"));
        Assert.Equal(0, await shown.EvaluateAsync<int>("e => e.children.length"));
        Assert.Equal(0, await session.Page.Locator("#assignments img, #assignments script").CountAsync());
        Assert.True(await session.Page.EvaluateAsync<bool>("() => window.__pwned === undefined"), "no script from the description ran");
        await VolunteerPage.ScreenshotAsync(session);
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task CantGo_NeedsAReason_ThenGivesTheRequestBackToOthersButNotToThem()
    {
        var scene = new Scene(Web);
        using var first = await scene.VolunteerAsync(at: null, onDuty: false);
        using var second = await scene.VolunteerAsync(at: null, onDuty: false);
        using var hotline = await TestUsers.CreateAsync(Web, "operator");
        await using var claimer = await VolunteerPage.OpenAsync(browser, Web, first, scene.Offset(100, 0));
        await using var other = await VolunteerPage.OpenAsync(browser, Web, second, scene.Offset(0, 150));
        foreach (var page in new[] { claimer, other })
            await VolunteerPage.GoOnDutyAsync(page);
        var id = await scene.RequestAsync(hotline.Client);
        await VolunteerPage.Offer(claimer, id).Locator(".offer-claim").ClickAsync();
        var card = VolunteerPage.Assignment(claimer, id);
        await Expect(card).ToHaveAttributeAsync("data-status", "Claimed");
        await Expect(VolunteerPage.Offer(other, id)).ToHaveCountAsync(0);

        // Without a reason nothing is sent: the card says why and the request stays with them.
        await card.Locator(".assignment-cantgo").ClickAsync();
        await card.Locator(".assignment-release-confirm").ClickAsync();
        await Expect(card.Locator(".assignment-error")).ToHaveTextAsync("请填写原因");
        Assert.Equal("Claimed", await VolunteerPage.StatusAsync(hotline.Client, id));
        await VolunteerPage.ScreenshotAsync(claimer, "Volunteer-cant-go-reason");

        await card.Locator(".assignment-reason").FillAsync("孩子突然发烧，走不开");
        await card.Locator(".assignment-release-confirm").ClickAsync();

        await Expect(card).ToHaveCountAsync(0);
        await Expect(claimer.Page.Locator(".message-volunteer-done-released")).ToHaveTextAsync("已退单，这条求助会派给其他志愿者");
        await Expect(VolunteerPage.Offer(other, id)).ToBeVisibleAsync();
        Assert.Equal("Offered", await VolunteerPage.StatusAsync(hotline.Client, id));
        await Expect(claimer.Page.Locator(".offer")).ToHaveCountAsync(0);
        var (_, offers) = await first.Client.GetAsync("/api/volunteers/me/offers");
        Assert.DoesNotContain(offers!.AsArray(), o => o!["requestId"]!.GetValue<Guid>() == id);
        var (_, timeline) = await hotline.Client.GetAsync($"/api/requests/{id}/timeline");
        var released = Assert.Single(timeline!.AsArray(), e => e!["event"]?.GetValue<string>() == "released")!;
        Assert.Equal("孩子突然发烧，走不开", released["details"]!["text"]!.GetValue<string>());
        await VolunteerPage.ScreenshotAsync(claimer);
        foreach (var page in new[] { claimer, other })
            page.AssertNoScriptErrors();
    }
}
