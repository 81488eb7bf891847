using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Outreach.Tests.Browser.Operator;
using Outreach.Tests.Care;
using Outreach.Tests.Dispatch;
using Outreach.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Outreach.Tests.Browser.Coordinator;

/// <summary>
/// Today's and tomorrow's care visits on the coordinator desk (issue #16): visits of plans made through the API are
/// listed with the family, the preferred helper and where their request stands; "without a helper only" leaves out the
/// one a helper has claimed; a visit that is a request opens it in the details panel.
/// </summary>
[Collection(BrowserCollection.Name)]
[Category(TestCategory.Browser)]
public sealed class CarePlanUpcomingTests(SystemFixture system, BrowserFixture browser)
{
    /// <summary>How long the plan's reminder may take to make the due visit a request (not a timing assertion).</summary>
    private static readonly TimeSpan MadeWithin = TimeSpan.FromSeconds(90);

    private static readonly string[] GrocerySkill = ["Groceries"];

    private WebNode Web => system.Web;

    [Fact]
    public async Task UpcomingVisits_ListedWithWhereTheyStand_AndTheWithoutAHelperFilterLeavesOutTheClaimedOne()
    {
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        var scene = new Scene(Web);
        var helperName = "王护理" + Guid.NewGuid().ToString("N")[..3];
        using var helper = await scene.VolunteerAsync(scene.Offset(200, 0), skills: GrocerySkill, name: helperName);
        var family = "护理家" + Guid.NewGuid().ToString("N")[..4];
        var file = await OperatorConsole.CreateFileAsync(coordinator.Client, family, OperatorConsole.NewMobile(), scene.Family);
        var fileId = file["id"]!.GetValue<string>();

        // One plan's visit opens in about ten minutes, so it is made into a request now (30 minutes ahead) and its
        // preferred helper claims it; the other's opens in about three hours, not made yet, without a helper.
        var soon = CareWindows.OpeningIn(TimeSpan.FromMinutes(10));
        var later = CareWindows.OpeningIn(TimeSpan.FromHours(3));
        var soonPlan = await CreatePlanAsync(coordinator.Client, fileId, soon, helper.VolunteerId, scene.Family);
        var laterPlan = await CreatePlanAsync(coordinator.Client, fileId, later, null, scene.Family);
        var claimed = await MadeVisitAsync(coordinator.Client, soonPlan, soon.Date, system.System);
        var (status, body) = await helper.Client.PostAsync($"/api/requests/{claimed}/claim", null);
        Assert.True(status == HttpStatusCode.OK, $"claim: {(int)status} {body}");
        var waiting = Assert.Single(await UpcomingAsync(coordinator.Client, laterPlan), v => v["date"]!.GetValue<string>() == later.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var waitingId = waiting["requestId"]!.GetValue<string>();

        await using var session = await CoordinatorDesk.OpenAsync(browser, Web, coordinator);
        var page = session.Page;
        var claimedRow = page.Locator($"#care-list li[data-request-id='{claimed}']");
        var waitingRow = page.Locator($"#care-list li[data-request-id='{waitingId}']");
        await Expect(page.Locator("#care-upcoming h3")).ToHaveTextAsync("今明两天护理");
        await Expect(claimedRow).ToHaveAttributeAsync("data-has-helper", "true");
        await Expect(claimedRow).ToHaveAttributeAsync("data-status", "Claimed");
        await Expect(claimedRow).ToContainTextAsync(family);
        await Expect(claimedRow).ToContainTextAsync("菜篮子");
        await Expect(claimedRow).ToContainTextAsync($"{soon.From}–{soon.To}");
        await Expect(claimedRow).ToContainTextAsync($"由 {helperName} 负责");
        await Expect(claimedRow).ToContainTextAsync($"首选：{helperName}");
        await Expect(waitingRow).ToHaveAttributeAsync("data-has-helper", "false");
        await Expect(waitingRow).ToContainTextAsync(family);
        await Expect(waitingRow).ToContainTextAsync($"{later.From}–{later.To}");
        await Expect(waitingRow).ToContainTextAsync("未生成");
        await Expect(waitingRow).ToContainTextAsync("尚无人接");

        // Without a helper only: the claimed visit leaves the list, the waiting one stays; and back.
        await page.Locator("#care-unassigned").CheckAsync();
        await Expect(claimedRow).ToHaveCountAsync(0);
        await Expect(waitingRow).ToBeVisibleAsync();
        await Expect(page.Locator("#care-list li[data-has-helper='true']")).ToHaveCountAsync(0);
        await session.ScreenshotAsync($"{nameof(UpcomingVisits_ListedWithWhereTheyStand_AndTheWithoutAHelperFilterLeavesOutTheClaimedOne)}-unassigned", fullPage: false);
        await page.Locator("#care-unassigned").UncheckAsync();
        await Expect(claimedRow).ToBeVisibleAsync();

        // A visit that is a request opens it as the queue does.
        await claimedRow.ClickAsync();
        await Expect(CoordinatorDesk.Detail(page).Locator("h2")).ToContainTextAsync("已接单");
        await Expect(CoordinatorDesk.Detail(page)).ToContainTextAsync(helperName);
        await session.ScreenshotAsync(fullPage: false);
        session.AssertNoScriptErrors();
    }

    private static async Task<string> CreatePlanAsync(ApiClient client, string fileId, CareWindows window, Guid? preferred, (double Lat, double Lon) at)
    {
        var (status, body) = await client.PostAsync($"/api/workers/{fileId}/care-plans", new
        {
            category = "Groceries",
            // Every day from the window's date. Both days and n are sent: the API reads a schedule only with both.
            schedule = new { kind = "everyNDays", days = (string[]?)null, n = 1, window = new { from = window.From, to = window.To } },
            startDate = window.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            paused = false,
            position = new { lat = at.Lat, lon = at.Lon },
            address = "华龙区 中原路 2号院 5号楼 2单元 301",
            notes = "买菜",
            preferredVolunteerId = preferred,
        });
        Assert.True(status == HttpStatusCode.Created, $"creating a plan: {(int)status} {body}");
        return body!["id"]!.GetValue<string>();
    }

    /// <summary>The plan's visits in the coordinators' list (today and tomorrow).</summary>
    private static async Task<JsonNode[]> UpcomingAsync(ApiClient client, string planId)
    {
        var (status, body) = await client.GetAsync("/api/care-plans/upcoming");
        Assert.True(status == HttpStatusCode.OK, $"upcoming: {(int)status} {body}");
        return [.. body!.AsArray().Where(v => v!["planId"]!.GetValue<string>() == planId).Select(v => v!)];
    }

    /// <summary>Waits until the plan's visit of <paramref name="date"/> is a request (its reminder made it); answers its id.</summary>
    private static async Task<string> MadeVisitAsync(ApiClient client, string planId, DateOnly date, OutreachSystem outreach)
    {
        var deadline = DateTimeOffset.UtcNow + MadeWithin;
        while (true)
        {
            var visit = Assert.Single(await UpcomingAsync(client, planId), v => v["date"]!.GetValue<string>() == date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            if (visit["requestStatus"] is { } made && made.GetValueKind() != System.Text.Json.JsonValueKind.Null)
                return visit["requestId"]!.GetValue<string>();
            if (DateTimeOffset.UtcNow >= deadline)
            {
                var (status, request) = await client.GetAsync($"/api/requests/{visit["requestId"]}");
                Assert.Fail($"the visit of {date} of plan {planId} was not made into a request within {MadeWithin}; the request: {(int)status} {request}\n"
                    + string.Join("\n", outreach.Silos.Select(s => s.Process.Tail(60))));
            }
            await Task.Delay(500);
        }
    }
}
