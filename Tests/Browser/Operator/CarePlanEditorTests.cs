using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Outreach.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Outreach.Tests.Browser.Operator.OperatorConsole;

namespace Outreach.Tests.Browser.Operator;

/// <summary>
/// A family file's care plans on the operator console (issue #16): the operator adds a weekly plan, sees it with its
/// next visits, pauses, resumes and deletes it — each step checked in the API too; a schedule the API refuses shows
/// its message by the field and stores nothing.
/// </summary>
[Collection(BrowserCollection.Name)]
[Category(TestCategory.Browser)]
public sealed class CarePlanEditorTests(SystemFixture system, BrowserFixture browser)
{
    private static readonly (double Lat, double Lon) Home = (35.7621, 115.0302);

    private WebNode Web => system.Web;

    [Fact]
    public async Task WeeklyPlan_AddedListedWithItsNextVisits_PausedResumedAndDeleted_AsTheApiStoresIt()
    {
        using var operatorUser = await TestUsers.CreateAsync(Web, "operator");
        var (fileId, name) = await FamilyAsync(operatorUser.Client);
        await using var session = await OpenAsync(browser, Web, operatorUser);
        var page = session.Page;
        await OpenFileAsync(page, fileId, name);
        var plans = page.Locator("#care-list li.op-care-plan");
        await Expect(page.Locator("#care-list")).ToContainTextAsync("暂无护理计划");

        // Add: every Tuesday and Friday 09:00–11:00, at the file's home address (the default place).
        await page.Locator("#care-add").ClickAsync();
        await Expect(page.Locator("#care-editor")).ToBeVisibleAsync();
        await Expect(page.Locator("#ce-place option:checked")).ToContainTextAsync("华龙区 中原路 2号院");
        await page.Locator("input[name=ce-day][value=Tue]").CheckAsync();
        await page.Locator("input[name=ce-day][value=Fri]").CheckAsync();
        await page.Locator("#ce-from").FillAsync("09:00");
        await page.Locator("#ce-to").FillAsync("11:00");
        await page.Locator("#ce-notes").FillAsync("每周二、五买菜");
        await session.ScreenshotAsync($"{nameof(WeeklyPlan_AddedListedWithItsNextVisits_PausedResumedAndDeleted_AsTheApiStoresIt)}-editor");
        await page.Locator("#ce-save").ClickAsync();
        await Expect(page.Locator("#care-editor")).ToBeHiddenAsync();

        await Expect(plans).ToHaveCountAsync(1);
        var item = plans.First;
        await Expect(item.Locator(".op-care-schedule")).ToHaveTextAsync("每周二、五 09:00–11:00");
        await Expect(item.Locator(".op-care-next li")).ToHaveCountAsync(3);
        var stored = Assert.Single(await PlansAsync(operatorUser.Client, fileId))!;
        var planId = stored["id"]!.GetValue<string>();
        await Expect(item).ToHaveAttributeAsync("data-plan-id", planId);
        Assert.Equal("weekly", stored["schedule"]!["kind"]!.GetValue<string>());
        Assert.Equal(["Tue", "Fri"], stored["schedule"]!["days"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal(("09:00", "11:00"), (stored["schedule"]!["window"]!["from"]!.GetValue<string>(), stored["schedule"]!["window"]!["to"]!.GetValue<string>()));
        Assert.Equal("华龙区 中原路 2号院 5号楼 2单元 301", stored["address"]!.GetValue<string>());
        Assert.Equal(Home.Lat, stored["position"]!["lat"]!.GetValue<double>());
        Assert.Equal("每周二、五买菜", stored["notes"]!.GetValue<string>());
        Assert.False(stored["paused"]!.GetValue<bool>());
        // The visits listed are the API's next occurrences, in China time, each on a Tuesday or a Friday.
        var next = stored["next"]!.AsArray();
        for (var i = 0; i < next.Count; i++)
        {
            var visit = item.Locator(".op-care-next li").Nth(i);
            await Expect(visit).ToHaveAttributeAsync("data-request-id", next[i]!["requestId"]!.GetValue<string>());
            await Expect(visit).ToContainTextAsync(new System.Text.RegularExpressions.Regex("周[二五] 09:00–11:00$"));
        }

        // Edit: paused, with other notes.
        await item.Locator(".op-care-edit").ClickAsync();
        await Expect(page.Locator("input[name=ce-day][value=Tue]")).ToBeCheckedAsync();
        await Expect(page.Locator("#ce-from")).ToHaveValueAsync("09:00");
        await page.Locator("#ce-paused").CheckAsync();
        await page.Locator("#ce-notes").FillAsync("住院期间暂停");
        await page.Locator("#ce-save").ClickAsync();
        await Expect(page.Locator("#care-editor")).ToBeHiddenAsync();
        await Expect(item).ToHaveAttributeAsync("data-paused", "true");
        await Expect(item.Locator(".op-care-paused")).ToHaveTextAsync("已暂停");
        await Expect(item.Locator(".op-care-next li")).ToHaveCountAsync(0);
        stored = Assert.Single(await PlansAsync(operatorUser.Client, fileId))!;
        Assert.True(stored["paused"]!.GetValue<bool>());
        Assert.Equal("住院期间暂停", stored["notes"]!.GetValue<string>());
        Assert.Empty(stored["next"]!.AsArray());

        // Resume with one click: the visits come back, nothing else changed.
        await item.Locator(".op-care-pause").ClickAsync();
        await Expect(item).ToHaveAttributeAsync("data-paused", "false");
        await Expect(item.Locator(".op-care-next li")).ToHaveCountAsync(3);
        stored = Assert.Single(await PlansAsync(operatorUser.Client, fileId))!;
        Assert.False(stored["paused"]!.GetValue<bool>());
        Assert.Equal("住院期间暂停", stored["notes"]!.GetValue<string>());
        await session.ScreenshotAsync();

        // Delete, after a second click.
        await item.Locator(".op-care-delete").ClickAsync();
        await item.Locator(".op-care-delete-yes").ClickAsync();
        await Expect(plans).ToHaveCountAsync(0);
        await Expect(page.Locator("#care-list")).ToContainTextAsync("暂无护理计划");
        Assert.Empty(await PlansAsync(operatorUser.Client, fileId));
        var (status, _) = await operatorUser.Client.GetAsync($"/api/workers/{fileId}/care-plans/{planId}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task ScheduleTheApiRefuses_ShowsItsMessageByTheField_AndStoresNothing()
    {
        using var operatorUser = await TestUsers.CreateAsync(Web, "operator");
        var (fileId, name) = await FamilyAsync(operatorUser.Client);
        await using var session = await OpenAsync(browser, Web, operatorUser);
        var page = session.Page;
        await OpenFileAsync(page, fileId, name);
        await page.Locator("#care-add").ClickAsync();
        var editor = page.Locator("#care-editor");
        var window = editor.Locator("[data-field='schedule.window'] > .field-error");
        var days = editor.Locator("[data-field='schedule.days'] > .field-error");

        // A window that ends before it starts: the API's 400 names schedule.window; its words show there.
        await page.Locator("input[name=ce-day][value=Wed]").CheckAsync();
        await page.Locator("#ce-from").FillAsync("11:00");
        await page.Locator("#ce-to").FillAsync("09:00");
        var refused = await page.RunAndWaitForResponseAsync(() => page.Locator("#ce-save").ClickAsync(),
            r => r.Url.EndsWith($"/api/workers/{fileId}/care-plans", StringComparison.Ordinal) && r.Request.Method == "POST");
        Assert.Equal(400, refused.Status);
        await Expect(window).ToBeVisibleAsync();
        await Expect(window).ToContainTextAsync("end after it starts");
        await Expect(editor).ToBeVisibleAsync();
        await Expect(page.Locator("#ce-from")).ToHaveValueAsync("11:00");
        await session.ScreenshotAsync();

        // A weekly plan with no day: by the days.
        await page.Locator("#ce-to").FillAsync("12:00");
        await page.Locator("input[name=ce-day][value=Wed]").UncheckAsync();
        await page.Locator("#ce-save").ClickAsync();
        await Expect(days).ToBeVisibleAsync();
        await Expect(days).ToContainTextAsync("at least one day");
        await Expect(window).ToBeHiddenAsync();

        // Nothing was stored, in the API or the list.
        Assert.Empty(await PlansAsync(operatorUser.Client, fileId));
        await page.Locator("#ce-cancel").ClickAsync();
        await Expect(page.Locator("#care-list")).ToContainTextAsync("暂无护理计划");
        session.AssertNoScriptErrors($"HTTP 400 POST /api/workers/{fileId}/care-plans");
    }

    private static async Task<(string Id, string Name)> FamilyAsync(ApiClient client)
    {
        var name = "护理" + Guid.NewGuid().ToString("N")[..6];
        var file = await CreateFileAsync(client, name, NewMobile(), Home);
        return (file["id"]!.GetValue<string>(), name);
    }

    /// <summary>Finds the file by its name on the files tab and opens it; waits for its care plans.</summary>
    private static async Task OpenFileAsync(IPage page, string fileId, string name)
    {
        await page.Locator("#tab-files").ClickAsync();
        await page.Locator("#files-q").FillAsync(name);
        await page.Locator("#files-q").PressAsync("Enter");
        await page.Locator($"#files-list .op-file-row[data-id='{fileId}']").ClickAsync();
        await Expect(page.Locator($"#files-card[data-file-id='{fileId}']")).ToBeVisibleAsync();
        await Expect(page.Locator($"#care-plans[data-file-id='{fileId}'][data-loaded=true]")).ToBeVisibleAsync();
    }

    private static async Task<JsonArray> PlansAsync(ApiClient client, string fileId)
    {
        var (status, body) = await client.GetAsync($"/api/workers/{fileId}/care-plans");
        Assert.True(status == HttpStatusCode.OK, $"listing plans: {(int)status} {body}");
        return body!.AsArray();
    }
}
