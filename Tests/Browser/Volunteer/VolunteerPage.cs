using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Outreach.Contracts;
using Outreach.Model;
using Outreach.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Outreach.Tests.Browser.Volunteer;

/// <summary>Opening the volunteer page on a phone, going on duty, and posting requests with a description of one's own.</summary>
public static class VolunteerPage
{
    /// <summary>A phone (360 × 740, touch) that reports <paramref name="at"/> as its position; null = location refused.</summary>
    public static PageSessionOptions Phone((double Lat, double Lon)? at) => at is { } spot
        ? new PageSessionOptions
        {
            Width = 360,
            Height = 740,
            Mobile = true,
            Geolocation = new Geolocation { Latitude = (float)spot.Lat, Longitude = (float)spot.Lon, Accuracy = 10 },
            Permissions = ["geolocation"],
        }
        : PageSessionOptions.Phone;

    /// <summary>Signs <paramref name="user"/> in on a phone at <paramref name="at"/> and opens /volunteer, connected.</summary>
    public static async Task<PageSession> OpenAsync(BrowserFixture browser, WebNode web, TestUser user, (double Lat, double Lon)? at)
    {
        var session = await PageSession.OpenAsync(browser, web, Phone(at));
        await session.SignInAsync(user.Login, TestUsers.Password);
        await session.GotoAsync("/volunteer");
        // A system just started (and sharing two cores with other collections) can take a while to answer first.
        await Expect(session.Page.Locator(".conn-badge")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 20_000 });
        await Expect(session.Page.Locator("#duty-toggle")).ToBeEnabledAsync(new() { Timeout = 20_000 });
        return session;
    }

    /// <summary>Taps the duty switch and waits until the page has sent the browser's position.</summary>
    public static async Task GoOnDutyAsync(PageSession session)
    {
        await session.Page.Locator("#duty-toggle").ClickAsync();
        await Expect(session.Page.Locator("#duty-state")).ToHaveAttributeAsync("data-state", "on");
        // The first position goes out at once; a freshly started system can be slow to answer it.
        await Expect(session.Page.Locator("#geo-sent")).ToBeVisibleAsync(new() { Timeout = 20_000 });
    }

    /// <summary>The volunteer as the API has it (GET /api/volunteers/me).</summary>
    public static async Task<JsonNode> MeAsync(TestUser user)
    {
        var (status, body) = await user.Client.GetAsync("/api/volunteers/me");
        Assert.True(status == HttpStatusCode.OK, $"GET /api/volunteers/me: {(int)status} {body}");
        return body!;
    }

    /// <summary>A request's status as the hotline sees it.</summary>
    public static async Task<string?> StatusAsync(ApiClient hotline, Guid requestId)
    {
        var (status, body) = await hotline.GetAsync($"/api/requests/{requestId}");
        Assert.True(status == HttpStatusCode.OK, $"GET /api/requests/{requestId}: {(int)status} {body}");
        return body!["status"]!.GetValue<string>();
    }

    /// <summary>Posts a Medicine/Urgent request at <paramref name="at"/> with <paramref name="description"/>.</summary>
    public static async Task<Guid> RequestAsync(ApiClient hotline, (double Lat, double Lon) at, string description)
    {
        var (status, body) = await hotline.PostRequestAsync(new NewRequestBody(
            CallerPhone: "13803930001",
            Category: HelpCategory.Medicine,
            Urgency: Urgency.Urgent,
            Position: new PositionDto(at.Lat, at.Lon),
            Address: "华龙区 中原路 2号院 5号楼 301",
            Description: description));
        Assert.True(status == HttpStatusCode.Created, $"posting a request: {(int)status} {body}");
        return body!["id"]!.GetValue<Guid>();
    }

    /// <summary>A full-page screenshot from the top (the sticky header would otherwise sit mid-page).</summary>
    public static async Task ScreenshotAsync(PageSession session, string? name = null, [CallerMemberName] string test = "")
    {
        await session.Page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await session.ScreenshotAsync(name ?? test);
    }

    /// <summary>The offer card of <paramref name="requestId"/>.</summary>
    public static ILocator Offer(PageSession session, Guid requestId) =>
        session.Page.Locator($".offer[data-request-id='{requestId}']");

    /// <summary>
    /// Waits for the offer card of <paramref name="requestId"/> to show its claim button; when it does not, the failure
    /// says what the request and the page knew (status, how many it was offered to, its timeline, the connection).
    /// </summary>
    public static async Task ExpectOfferAsync(PageSession session, Guid requestId, ApiClient hotline, string claimText = "抢单")
    {
        try
        {
            await Expect(Offer(session, requestId).Locator(".offer-claim")).ToHaveTextAsync(claimText, new() { Timeout = 20_000 });
        }
        catch (PlaywrightException e)
        {
            var (_, request) = await hotline.GetAsync($"/api/requests/{requestId}");
            var (_, timeline) = await hotline.GetAsync($"/api/requests/{requestId}/timeline");
            var badge = await session.Page.Locator(".conn-badge").GetAttributeAsync("data-state");
            var duty = await session.Page.Locator("#duty-state").GetAttributeAsync("data-state");
            throw new Xunit.Sdk.XunitException(
                $"{e.Message}\nrequest: status {request?["status"]}, offered to {request?["offeredCount"]}; timeline: {timeline?.ToJsonString()}\n" +
                $"page: connection {badge}, duty {duty}, offers shown {await session.Page.Locator(".offer").CountAsync()}");
        }
    }

    /// <summary>The assignment card of <paramref name="requestId"/>.</summary>
    public static ILocator Assignment(PageSession session, Guid requestId) =>
        session.Page.Locator($".assignment[data-request-id='{requestId}']");
}
