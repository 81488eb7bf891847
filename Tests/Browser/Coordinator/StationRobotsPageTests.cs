using System.Net;
using Outreach.Contracts;
using Outreach.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Outreach.Tests.Browser.Coordinator;

/// <summary>The station editor's group robots: added, kept, refused and removed through the form, the secret never shown.</summary>
[Collection(BrowserCollection.Name)]
[Category(TestCategory.Browser)]
public sealed class StationRobotsPageTests(SystemFixture system, BrowserFixture browser)
{
    private const string WeCom = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa";
    private const string DingTalk = "https://oapi.dingtalk.com/robot/send?access_token=50cb6e954c89afa14fb97754eafd886d";
    private const string Secret = "SEC5a3ecf88f2b3eb50db30ecfc00f53033ac909c99bf7f88fd612bda89d7f3a9dc";

    [Fact]
    public async Task StationEditor_AddsARobotWithASecret_KeepsItWhenLeftBlank_RefusesAForeignUrl_AndRemovesRobots()
    {
        using var coordinator = await TestUsers.CreateAsync(system.Web, "coordinator");
        var name = "机器人驿站" + Guid.NewGuid().ToString("N")[..6];
        // Far from every scene, so no other test's request is ever this station's (its robots are the providers' real hosts).
        var (status, created) = await coordinator.Client.PostAsync("/api/stations", new StationRequest(
            name, "测试地址 1 号", new PositionDto(-45.0, -100.0), CircleRadiusM: 500, Robots: [new RobotDto("wecom", WeCom)]));
        Assert.True(status == HttpStatusCode.Created, $"station: {(int)status} {created}");
        var id = created!["id"]!.GetValue<Guid>();

        await using var session = await CoordinatorDesk.OpenAsync(browser, system.Web, coordinator, "#rosters");
        var page = session.Page;
        var row = CoordinatorDesk.StationRow(page, id);
        await Expect(row).ToContainTextAsync("企业微信");

        // Add a signed DingTalk robot.
        await row.Locator("button").ClickAsync();
        var robots = page.Locator("#station-robots .co-robot");
        await Expect(robots).ToHaveCountAsync(1);
        await Expect(robots.Nth(0).Locator("input[name=robotUrl]")).ToHaveValueAsync(WeCom);
        await page.Locator("#add-robot").ClickAsync();
        await robots.Nth(1).Locator("select[name=robotKind]").SelectOptionAsync("dingtalk");
        await robots.Nth(1).Locator("input[name=robotUrl]").FillAsync(DingTalk);
        await robots.Nth(1).Locator("input[name=robotSecret]").FillAsync(Secret);
        await Expect(robots.Nth(1).Locator("input[name=robotSecret]")).ToHaveAttributeAsync("type", "password");
        await page.Locator("#station-form button[type=submit]").ClickAsync();
        await SavedAsync(page);
        await Expect(row).ToContainTextAsync("企业微信、钉钉");

        // Edited again: the secret field is empty (never sent back) and saving leaves it stored.
        await row.Locator("button").ClickAsync();
        var secretInput = robots.Nth(1).Locator("input[name=robotSecret]");
        await Expect(secretInput).ToHaveValueAsync("");
        await Expect(secretInput).ToHaveAttributeAsync("placeholder", "已保存，留空即保留");
        Assert.DoesNotContain(Secret, await page.ContentAsync(), StringComparison.Ordinal);
        await page.Locator("#station-form button[type=submit]").ClickAsync();
        await SavedAsync(page);
        var (_, station) = await coordinator.Client.GetAsync($"/api/stations/{id}");
        Assert.True(station!["robots"]![1]!["hasSecret"]!.GetValue<bool>(), $"the secret was lost: {station}");

        // A webhook on another host is refused, naming the field; nothing changes.
        await row.Locator("button").ClickAsync();
        await robots.Nth(0).Locator("input[name=robotUrl]").FillAsync("https://evil.example.com/cgi-bin/webhook/send?key=abc");
        await page.Locator("#station-form button[type=submit]").ClickAsync();
        await Expect(page.Locator("#co-flash.error")).ToContainTextAsync("机器人 Webhook 地址");
        await page.Locator("#station-robots").ScrollIntoViewIfNeededAsync();
        await session.ScreenshotAsync("StationRobots-editor", fullPage: false);
        (_, station) = await coordinator.Client.GetAsync($"/api/stations/{id}");
        Assert.Equal(WeCom, station!["robots"]![0]!["url"]!.GetValue<string>());

        // Both removed.
        await robots.Nth(1).Locator("button").ClickAsync();
        await robots.Nth(0).Locator("button").ClickAsync();
        await page.Locator("#station-form button[type=submit]").ClickAsync();
        await SavedAsync(page);
        await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("无");
        (_, station) = await coordinator.Client.GetAsync($"/api/stations/{id}");
        Assert.Empty(station!["robots"]!.AsArray());
        await session.ScreenshotAsync(fullPage: false);
        session.AssertNoScriptErrors($"HTTP 400 PUT /api/stations/{id}");
    }

    /// <summary>
    /// The save finished: "已保存" shows, and the form closed — the flash alone may still be the previous save's (it stays
    /// 6 s), and a form opened before this save finishes would be closed by it.
    /// </summary>
    private static async Task SavedAsync(Microsoft.Playwright.IPage page)
    {
        await Expect(page.Locator("#co-flash")).ToHaveTextAsync("已保存");
        await Expect(page.Locator("#station-form")).ToHaveCountAsync(0);
    }
}
