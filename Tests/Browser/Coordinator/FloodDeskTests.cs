using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Outreach.Tests.Dispatch;
using Outreach.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Outreach.Tests.Browser.Coordinator;

/// <summary>
/// The coordinator's desk in a flood (issue #15, item 1): with more open requests than a screen can show, the queue
/// draws its first 300 rows and a "show more" naming how many are left, the map gathers the pins into counts per
/// square, and every request is still reached — by its row, by zooming into its square; one chosen on the map beyond the
/// rows drawn gets its row drawn, marked and scrolled to — and live changes still land.
/// </summary>
/// <remarks>
/// The flood is added to the page's snapshot answer (the server's own open requests plus 1,200 copies of a real one
/// at this test's place): real requests in this number would stay open in the system the other browser tests share.
/// The snapshot's paging and its bound are the server's, tested in <c>CityScaleReadTests</c>.
/// </remarks>
[Collection(BrowserCollection.Name)]
[Category(TestCategory.Browser)]
public sealed class FloodDeskTests(SystemFixture system, BrowserFixture browser)
{
    private const int Flood = 1_200;

    /// <summary>The queue's first window and each "show more" (<c>QUEUE_PAGE</c> in coordinator-queue.js).</summary>
    private const int QueuePage = 300;

    private static readonly string[] Statuses = ["Offered", "Claimed", "EnRoute", "OnSite"];

    /// <summary>
    /// How long the map may take to draw a zoom into the flood: ≈ 1,000 pins within a kilometre, 1.4 s alone on this
    /// machine, 4–11 s while other tests load it (session 30).
    /// </summary>
    private static readonly LocatorAssertionsToBeVisibleOptions Drawing = new() { Timeout = 20_000 };

    private WebNode Web => system.Web;

    [Fact]
    public async Task AFlood_TheQueueDrawsAWindowAndShowsMore_TheMapGathersThePins_EveryRequestReached_LiveChangesLand()
    {
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        var scene = new Scene(Web);
        var model = await scene.RequestAsync(coordinator.Client, urgency: "Routine");
        var flood = new List<Guid>();
        var total = 0;

        var session = await PageSession.OpenAsync(browser, Web);
        await using var _ = session;
        await session.SignInAsync(coordinator.Login, TestUsers.Password);
        var page = session.Page;
        await page.RouteAsync("**/api/map/snapshot**", async route =>
        {
            var response = await route.FetchAsync();
            var snapshot = JsonNode.Parse(await response.TextAsync())!;
            var requests = snapshot["requests"]!.AsArray();
            Assert.Null(snapshot["next"]); // one page of the server's own here; more pages would be added up below
            var template = requests.Single(r => r!["id"]!.GetValue<Guid>() == model)!;
            var random = new Random(15);
            lock (flood)
            {
                flood.Clear();
                for (var i = 0; i < Flood; i++)
                {
                    var copy = template.DeepClone();
                    var id = Guid.NewGuid();
                    flood.Add(id);
                    copy["id"] = id.ToString();
                    copy["status"] = Statuses[i % Statuses.Length];
                    copy["escalated"] = i == Flood / 2;
                    // Due ten minutes before the real one: the real request is the queue's last row, beyond the first 300.
                    foreach (var field in new[] { "createdAt", "deadlineAt" })
                    {
                        if (copy[field] is { } at)
                            copy[field] = at.GetValue<DateTimeOffset>().AddMinutes(-10).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
                    }
                    // Within ≈ 500 m of the family: one square of the map zoomed out, hundreds of pins zoomed in.
                    copy["position"] = new JsonObject
                    {
                        ["lat"] = scene.Family.Lat + (random.NextDouble() - 0.5) * 0.009,
                        ["lon"] = scene.Family.Lon + (random.NextDouble() - 0.5) * 0.011,
                    };
                    requests.Add(copy);
                }
                total = requests.Count;
            }
            await route.FulfillAsync(new() { Response = response, Body = snapshot.ToJsonString() });
        });
        await DeskMap.WatchAsync(page);
        await session.GotoAsync("/coordinator");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = 30_000 });

        // The queue: the whole count, the first 300 rows, and a button naming the rest; each press draws 300 more.
        var rows = page.Locator("#queue li");
        var more = page.Locator("#queue-more");
        await Expect(page.Locator("#queue-count")).ToHaveTextAsync($"{total} 单");
        await Expect(rows).ToHaveCountAsync(QueuePage);
        await Expect(more).ToHaveTextAsync($"再显示 {QueuePage} 单（还有 {total - QueuePage} 单未显示）");
        await more.ClickAsync();
        await Expect(rows).ToHaveCountAsync(2 * QueuePage);
        await Expect(more).ToHaveTextAsync($"再显示 {QueuePage} 单（还有 {total - 2 * QueuePage} 单未显示）");
        await Expect(CoordinatorDesk.QueueRow(page, model)).ToHaveCountAsync(0);
        await session.ScreenshotAsync($"{nameof(FloodDeskTests)}-queue", fullPage: false);

        // The map gathers them: counts per square, red where one is late or escalated. Over the place, zoomed out, every
        // request there is in a square's count or a pin of its own, and the square with the escalated one is red.
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-request-clusters", "true");
        await DeskMap.SetViewAsync(page, scene.Family.Lat, scene.Family.Lon, 14);
        await OnTheMapAsync(page, Flood + 1);
        await Expect(page.Locator("#map .req-cluster.urgent")).ToHaveCountAsync(1);
        await Expect(page.Locator("#map .req-cluster")).Not.ToHaveCountAsync(0);
        await session.ScreenshotAsync($"{nameof(FloodDeskTests)}-map", fullPage: false);

        // Zoomed in, the pins stand on their own; the real request chosen there (the queue's last, not drawn yet): its
        // details open and the queue draws its rows as far as its row, marked and scrolled to.
        await DeskMap.SetViewAsync(page, scene.Family.Lat, scene.Family.Lon, 18);
        var pin = CoordinatorDesk.Pin(page, model);
        await Expect(pin).ToHaveCountAsync(1, new() { Timeout = Drawing.Timeout });
        // Clicked as an event (others of the flood may stand on it), again if the map was still settling its squares.
        for (var attempt = 1; ; attempt++)
        {
            await pin.DispatchEventAsync("click");
            try
            {
                await Expect(CoordinatorDesk.Detail(page).Locator("h2")).ToContainTextAsync("待抢单", new() { Timeout = 3_000 });
                break;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
            }
        }
        var row = CoordinatorDesk.QueueRow(page, model);
        await Expect(row).ToHaveClassAsync(new Regex(@"\bselected\b"));
        await Expect(row).ToBeInViewportAsync();
        await Expect(rows).ToHaveCountAsync(total);
        await Expect(more).ToBeHiddenAsync();
        var listed = (await rows.EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.id)")).Select(Guid.Parse).ToHashSet();
        Assert.Superset(flood.ToHashSet(), listed);

        // Chosen in the queue with the map zoomed out: the map zooms in until its pin stands out of its square.
        await DeskMap.SetViewAsync(page, scene.Family.Lat, scene.Family.Lon, 13);
        await Expect(pin).ToHaveCountAsync(0);
        await CoordinatorDesk.ChooseAsync(page, model);
        await Expect(pin).ToBeVisibleAsync(Drawing);
        await Expect(pin).ToHaveClassAsync(new Regex(@"\bselected\b"));

        // Live changes still land: a new request there joins the queue's count — the chosen pin stays out of its square
        // while it is drawn — and the map's squares. The rows already drawn stay as they are (a row marked before the
        // change is still the same element after it): a change redraws its own row, not the 1,200 around it.
        var first = CoordinatorDesk.QueueRow(page, flood[0]);
        await first.EvaluateAsync("li => { li.dataset.drawnBefore = 'yes'; }");
        await scene.RequestAsync(coordinator.Client, urgency: "Routine");
        await Expect(page.Locator("#queue-count")).ToHaveTextAsync($"{total + 1} 单", new() { Timeout = 10_000 });
        await Expect(first).ToHaveAttributeAsync("data-drawn-before", "yes");
        await Expect(pin).ToBeVisibleAsync(Drawing);

        // The timers run where they are seen: a row scrolled away and back into view shows its time going on.
        var firstTimer = first.Locator(".co-timer");
        var before = await firstTimer.TextContentAsync();
        await first.ScrollIntoViewIfNeededAsync();
        await Expect(firstTimer).Not.ToHaveTextAsync(before ?? "", new() { Timeout = 5_000 });
        await DeskMap.SetViewAsync(page, scene.Family.Lat, scene.Family.Lon, 14);
        await OnTheMapAsync(page, Flood + 2);
        session.AssertNoScriptErrors();
    }

    /// <summary>
    /// Waits until the map shows <paramref name="expected"/> requests — the squares' counts and the pins drawn on their
    /// own — and says what it showed when it does not.
    /// </summary>
    private static async Task OnTheMapAsync(IPage page, int expected)
    {
        const string Shown = """
            () => [...document.querySelectorAll('#map .req-cluster')].reduce((n, c) => n + Number(c.dataset.count), 0)
                + document.querySelectorAll('.req-pin[data-id]').length
            """;
        try
        {
            await page.WaitForFunctionAsync($"n => ({Shown})() === n", expected, new() { Timeout = 15_000 });
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"The map shows {await page.EvaluateAsync<int>(Shown)} requests, not {expected}", e);
        }
    }
}
