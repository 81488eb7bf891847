using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Outreach.Tests.Dispatch;
using Outreach.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Outreach.Tests.Browser.Volunteer;

/// <summary>
/// The service worker with Web Push, in Chromium: a push for an offer the visible page already shows does not alert;
/// with no volunteer page open the push shows a notification (category, urgency, ETA, distance; 抢单 and 查看), and its
/// claim action claims the request with the volunteer's cookie. The pushes are delivered through DevTools
/// (<see cref="ServiceWorkerDevTools"/>) with the payload the server sends (see PushDeliveryTests for the server side);
/// the claim action runs the worker's own click handler (<c>handleNotificationClick(notification, 'claim')</c>, what its
/// <c>notificationclick</c> listener calls) in the worker's scope, since a headless browser has no notification to tap.
/// </summary>
[Collection(BrowserCollection.Name)]
[Category(TestCategory.Browser)]
public sealed class VolunteerPushTests(SystemFixture system, BrowserFixture browser)
{
    private WebNode Web => system.Web;

    [Fact]
    public async Task Push_WhileThePageIsVisible_DoesNotAlert_WithNoPageOpen_NotifiesAndClaimsFromTheNotification()
    {
        var scene = new Scene(Web);
        var spot = scene.Offset(120, 40);
        using var volunteer = await scene.VolunteerAsync(spot);
        using var hotline = await TestUsers.CreateAsync(Web, "operator");
        await using var session = await PageSession.OpenAsync(browser, Web, VolunteerPage.Phone(spot) with { Permissions = ["geolocation", "notifications"] });
        await session.SignInAsync(volunteer.Login, TestUsers.Password);
        await session.GotoAsync("/volunteer");
        await Expect(session.Page.Locator(".conn-badge")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 20_000 });
        Assert.True(await session.Page.EvaluateAsync<bool>("async () => Boolean((await navigator.serviceWorker.ready).active)"));
        await using var devTools = await ServiceWorkerDevTools.OpenAsync(browser.Browser, session.Page, Web.Url);
        await session.Page.EvaluateAsync("() => { window.pushMessages = []; navigator.serviceWorker.addEventListener('message', e => window.pushMessages.push(e.data)); }");

        // 1. The page is open and shows the offer live: the push for it tells the page and alerts nobody.
        var shown = await scene.RequestAsync(hotline.Client);
        await Expect(VolunteerPage.Offer(session, shown)).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await devTools.DeliverPushAsync(await PayloadAsync(volunteer, shown));
        await session.Page.WaitForFunctionAsync(
            $"() => window.pushMessages.some(m => m.type === 'push-offer' && m.offer.requestId === '{shown}')");
        Assert.False(await session.Page.EvaluateAsync<bool>(
            $"() => window.pushMessages.find(m => m.type === 'push-offer' && m.offer.requestId === '{shown}').alerted"));
        Assert.Equal(0, await NotificationCountAsync(session, shown));

        // 2. No volunteer page open (the tab went elsewhere on the site): the next offer arrives by push only.
        await session.GotoAsync("/favicon.svg");
        var pushed = await scene.RequestAsync(hotline.Client);
        await devTools.DeliverPushAsync(await PayloadAsync(volunteer, pushed));

        var notification = await devTools.EvaluateAsync($$"""
            (async () => {
              for (let i = 0; i < 100; i++) {
                const [n] = await self.registration.getNotifications({ tag: '{{pushed}}' });
                if (n) return { title: n.title, body: n.body, tag: n.tag, requireInteraction: n.requireInteraction,
                                 actions: n.actions.map(a => [a.action, a.title]), data: n.data };
                await new Promise(r => setTimeout(r, 100));
              }
              return null;
            })()
            """);
        Assert.True(notification.ValueKind == JsonValueKind.Object, "the worker showed a notification for the pushed offer");
        Assert.Equal("【加急】新的求助：药箱子", notification.GetProperty("title").GetString());
        Assert.Matches(@"^约 \d+ 分钟到达 · 距离约 \d+ 米$", notification.GetProperty("body").GetString());
        Assert.Equal(pushed.ToString(), notification.GetProperty("tag").GetString());
        Assert.Equal([["claim", "抢单"], ["view", "查看"]],
            notification.GetProperty("actions").EnumerateArray().Select(a => a.EnumerateArray().Select(x => x.GetString()!).ToArray()).ToArray());
        Assert.Equal($"/volunteer?offer={pushed}", notification.GetProperty("data").GetProperty("url").GetString());
        var body = notification.GetProperty("title").GetString() + notification.GetProperty("body").GetString();
        foreach (var personal in new[] { "中原路", "13803930001", "老人" })
            Assert.DoesNotContain(personal, body, StringComparison.Ordinal);

        // 3. 抢单 on the notification: the worker claims with the volunteer's cookie and says how it went.
        var result = await devTools.EvaluateAsync($$"""
            (async () => {
              const [n] = await self.registration.getNotifications({ tag: '{{pushed}}' });
              await handleNotificationClick(n, 'claim');
              const [r] = await self.registration.getNotifications({ tag: '{{pushed}}' });
              return r ? r.title : null;
            })()
            """);
        Assert.Equal("抢单成功", result.GetString());
        var (status, request) = await hotline.Client.GetAsync($"/api/requests/{pushed}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Claimed", request!["status"]!.GetValue<string>());
        Assert.Equal(volunteer.VolunteerId, request["assignedVolunteerId"]!.GetValue<Guid>());

        // 4. The page opened from 查看 shows that request (now the volunteer's job), marked.
        await session.GotoAsync($"/volunteer?offer={pushed}");
        await Expect(VolunteerPage.Assignment(session, pushed)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("offer-highlight"), new() { Timeout = 20_000 });
        Assert.Equal("/volunteer", session.CurrentPath);
        await VolunteerPage.ScreenshotAsync(session);
    }

    /// <summary>
    /// The browser's push subscription is dropped only once the server has ended the session: a logout that fails
    /// (503 after its retries) leaves the volunteer signed in, and the phone must go on receiving their offers. The
    /// subscription is the page's own (<c>PushManager.getSubscription</c>, stood in for: a headless browser has no push
    /// service to subscribe with), whose <c>unsubscribe</c> notes when it was called.
    /// </summary>
    [Fact]
    public async Task Logout_ThatFails_KeepsThePushSubscription_AndOnceTheSessionEnded_TheBrowserUnsubscribes()
    {
        var scene = new Scene(Web);
        var spot = scene.Offset(-150, 60);
        using var volunteer = await scene.VolunteerAsync(spot);
        // Notifications not granted: the page never subscribes by itself, so only logging out touches the subscription.
        await using var session = await PageSession.OpenAsync(browser, Web, VolunteerPage.Phone(spot) with { Permissions = ["geolocation"] });
        await session.SignInAsync(volunteer.Login, TestUsers.Password);
        await session.GotoAsync("/volunteer");
        await Expect(session.Page.Locator(".conn-badge")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 20_000 });
        await session.Page.EvaluateAsync("""
            () => {
              sessionStorage.removeItem('unsubscribed');
              PushManager.prototype.getSubscription = async () => ({
                endpoint: 'https://push.example.net/this-phone',
                unsubscribe: async () => { sessionStorage.setItem('unsubscribed', 'yes'); return true; },
              });
            }
            """);
        var logout = session.Page.Locator(".app-header button[data-i18n='auth.logout']");

        // The server cannot end the session (every attempt 503): the page stays, says so, and keeps the subscription.
        var attempts = 0;
        string? told = null;
        await session.Page.RouteAsync("**/api/auth/logout", route =>
        {
            attempts++;
            told = route.Request.PostData;
            return route.FulfillAsync(new() { Status = 503, Headers = new Dictionary<string, string> { ["Retry-After"] = "1" } });
        });
        await logout.ClickAsync();
        await Expect(session.Page.Locator(".logout-problem")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        Assert.Equal(4, attempts); // the first and its three retries
        Assert.Contains("\"pushEndpoint\":\"https://push.example.net/this-phone\"", told, StringComparison.Ordinal); // for the server to forget
        Assert.Null(await session.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('unsubscribed')"));
        Assert.Equal("/volunteer", session.CurrentPath);

        // It can: the session ends, then the browser drops its subscription and goes to the login page.
        await session.Page.UnrouteAsync("**/api/auth/logout");
        await logout.ClickAsync();
        await session.WaitForPathAsync("/login");
        Assert.Equal("yes", await session.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('unsubscribed')"));
        Assert.Equal(401, await session.Page.EvaluateAsync<int>("async () => (await fetch('/api/me')).status"));
    }

    /// <summary>The payload the server pushes for an offer: the offer as the volunteer's API shows it (see PushPayload).</summary>
    private static async Task<string> PayloadAsync(TestUser volunteer, Guid requestId)
    {
        var (status, offers) = await volunteer.Client.GetAsync("/api/volunteers/me/offers");
        Assert.Equal(HttpStatusCode.OK, status);
        var offer = offers!.AsArray().Single(o => o!["requestId"]!.GetValue<Guid>() == requestId)!;
        return new JsonObject
        {
            ["type"] = "offer",
            ["requestId"] = requestId,
            ["category"] = offer["category"]!.GetValue<string>(),
            ["urgency"] = offer["urgency"]!.GetValue<string>(),
            ["etaMinutes"] = offer["etaMinutes"]!.GetValue<double>(),
            ["distanceM"] = offer["distanceM"]!.GetValue<double>(),
            ["createdAt"] = offer["createdAt"]!.GetValue<string>(),
        }.ToJsonString();
    }

    private static Task<int> NotificationCountAsync(PageSession session, Guid requestId) =>
        session.Page.EvaluateAsync<int>($"async () => (await (await navigator.serviceWorker.ready).getNotifications({{ tag: '{requestId}' }})).length");
}
