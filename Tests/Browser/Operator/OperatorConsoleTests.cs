using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using Outreach.Contracts;
using Outreach.Model;
using Outreach.Tests.Dispatch;
using Outreach.Tests.Infrastructure;
using Outreach.Tests.Live;
using static Microsoft.Playwright.Assertions;
using static Outreach.Tests.Browser.Operator.OperatorConsole;

namespace Outreach.Tests.Browser.Operator;

/// <summary>The hotline operator's console in a real Chromium against the real system (issue #6).</summary>
[Collection(BrowserCollection.Name)]
[Category(TestCategory.Browser)]
public sealed class OperatorConsoleTests(SystemFixture system, BrowserFixture browser)
{
    private static readonly string[] MedicineSkill = ["Medicine"];

    private WebNode Web => system.Web;

    [Fact]
    public async Task Lookup_CallerNumberInThreeFormats_FindsTheSameFile()
    {
        using var operatorUser = await TestUsers.CreateAsync(Web, "operator");
        var number = NewMobile();
        var memberNumber = NewMobile();
        var file = await CreateFileAsync(operatorUser.Client, "李志强", number, (35.7674, 115.0258), memberNumber);
        var fileId = file["id"]!.GetValue<string>();
        await using var session = await OpenAsync(browser, Web, operatorUser);
        var page = session.Page;

        foreach (var typed in new[] { number, Spaced(number), International(number), Spaced(memberNumber) })
        {
            await FindAsync(session, typed);
            await Expect(page.Locator("#file-card")).ToHaveAttributeAsync("data-file-id", fileId);
            await Expect(page.Locator("#file-card .op-file-name")).ToHaveTextAsync("李志强");
            await Expect(page.Locator("#intake-caller")).ToHaveValueAsync(typed);
        }

        // The file shows the family, and the intake starts at the family's home address.
        await Expect(page.Locator("#file-card")).ToContainTextAsync("刘芳");
        await Expect(page.Locator("#file-card")).ToContainTextAsync("+86" + memberNumber);
        await Expect(page.Locator("#file-card")).ToContainTextAsync("老人有高血压");
        await Expect(page.Locator("#file-card .op-history")).ToContainTextAsync("暂无服务记录");
        await Expect(page.Locator("#intake-family")).ToHaveTextAsync("家庭：李志强");
        await Expect(page.Locator("#intake-address")).ToHaveValueAsync("华龙区 中原路 2号院 5号楼 2单元 301");
        await Expect(page.Locator("#intake-position")).ToContainTextAsync("35.76740, 115.02580");
        await Expect(page.Locator("#intake-map path.leaflet-interactive")).ToHaveCountAsync(1);
        await session.ScreenshotAsync();
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Lookup_UnknownNumber_OffersANewFileThatIsThenFound()
    {
        using var operatorUser = await TestUsers.CreateAsync(Web, "operator");
        var number = NewMobile();
        var memberNumber = NewMobile();
        await using var session = await OpenAsync(browser, Web, operatorUser);
        var page = session.Page;

        await FindAsync(session, International(number));
        await Expect(page.Locator("#lookup-notfound")).ToContainTextAsync("没有找到");
        await page.Locator("#lookup-new-file").ClickAsync();
        var editor = page.Locator("#file-editor");
        await Expect(editor).ToBeVisibleAsync();
        await Expect(page.Locator("#fe-workerPhone")).ToHaveValueAsync(International(number));

        // The page checks a required field before anything is sent.
        await page.Locator("#fe-save").ClickAsync();
        await Expect(editor.Locator("[data-field=workerName] .field-error")).ToHaveTextAsync("必填");

        // A number the page cannot judge goes to the API; its ProblemDetails appears next to the field.
        await page.Locator("#fe-workerName").FillAsync("王建国");
        await page.Locator("#fe-workerPhone").FillAsync("12345678901");
        await page.Locator("#fe-save").ClickAsync();
        await Expect(editor.Locator("[data-field=workerPhone] .field-error")).ToBeVisibleAsync();
        await Expect(page.Locator("#fe-workerName")).ToHaveValueAsync("王建国");

        await page.Locator("#fe-workerPhone").FillAsync(International(number));
        await page.Locator("#fe-posting").FillAsync("海外项目部");
        await page.Locator("#fe-add-member").ClickAsync();
        var member = editor.Locator(".op-member").First;
        await member.Locator("input[name=name]").FillAsync("张秀英");
        await member.Locator("input[name=relation]").FillAsync("母亲");
        await member.Locator("input[name=phone]").FillAsync(Spaced(memberNumber));
        await page.Locator("#fe-add-address").ClickAsync();
        var address = editor.Locator(".op-address").First;
        await address.Locator("input[name=label]").FillAsync("家");
        await address.Locator("input[name=text]").FillAsync("华龙区 建设路 8号院 3号楼");
        await address.Locator(".op-address-map").ClickAsync();
        await Expect(address.Locator(".op-position")).ToContainTextAsync("位置：");
        await session.ScreenshotAsync($"{nameof(Lookup_UnknownNumber_OffersANewFileThatIsThenFound)}-editor");
        await page.Locator("#fe-save").ClickAsync();

        await Expect(editor).ToBeHiddenAsync();
        await Expect(page.Locator("#file-card .op-file-name")).ToHaveTextAsync("王建国");
        await Expect(page.Locator("#intake-family")).ToHaveTextAsync("家庭：王建国");
        await Expect(page.Locator("#intake-address")).ToHaveValueAsync("华龙区 建设路 8号院 3号楼");

        // Found again afterwards, by either number in another form, and recorded in the file's change history.
        await page.ReloadAsync();
        await Expect(page.Locator("body[data-ready=true]")).ToBeVisibleAsync();
        await FindAsync(session, number);
        await Expect(page.Locator("#file-card .op-file-name")).ToHaveTextAsync("王建国");
        await FindAsync(session, International(memberNumber));
        await Expect(page.Locator("#file-card .op-file-name")).ToHaveTextAsync("王建国");
        await Expect(page.Locator("#file-card .op-changes summary")).ToHaveTextAsync("修改记录（1）");
        var (status, files) = await operatorUser.Client.PostAsync("/api/workers/lookup", new PhoneLookupRequest(Spaced(number)));
        Assert.Equal(HttpStatusCode.OK, status);
        var saved = Assert.Single(files!.AsArray());
        Assert.Equal("张秀英", saved!["familyMembers"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("家", saved["addresses"]![0]!["label"]!.GetValue<string>());
        await session.ScreenshotAsync();
        session.AssertNoScriptErrors("HTTP 400 POST /api/workers");
    }

    [Fact]
    public async Task Request_FromTheConsole_ReachesAVolunteerAndShowsClaimedLive()
    {
        var scene = new Scene(Web);
        using var operatorUser = await TestUsers.CreateAsync(Web, "operator");
        var volunteerName = "陈晓东" + Guid.NewGuid().ToString("N")[..3];
        using var volunteer = await scene.VolunteerAsync(scene.Offset(300, 0), skills: MedicineSkill, name: volunteerName);
        await using var listener = await LiveListener.ConnectAsync("volunteer", Web, volunteer.Client.Cookies);
        var number = NewMobile();
        await CreateFileAsync(operatorUser.Client, "赵家", number, scene.Family);
        await using var session = await OpenAsync(browser, Web, operatorUser);
        var page = session.Page;
        await page.EvaluateAsync("() => { window.notReloaded = true; }");

        await FindAsync(session, Spaced(number));
        await Expect(page.Locator("#intake-family")).ToHaveTextAsync("家庭：赵家");
        // Emergency shows the 120 reminder; another urgency hides it.
        await page.Locator(".op-choices-urgency label[data-value=Emergency]").ClickAsync();
        await Expect(page.Locator("#intake-emergency")).ToBeVisibleAsync();
        await Expect(page.Locator("#intake-emergency")).ToContainTextAsync("120");
        await FillRequestAsync(page, "Medicine", "Urgent", "老人血压高，需要买药");
        await Expect(page.Locator("#intake-emergency")).ToBeHiddenAsync();
        await page.Locator("#intake-submit").ClickAsync();

        var offer = await listener.WaitForAsync(LiveEvents.Offer, _ => true, "the request taken in the console");
        var requestId = offer.Payload.GetProperty("requestId").GetString()!;
        Assert.Equal("Medicine", offer.Payload.GetProperty("category").GetString());
        await Expect(page.Locator("#intake-notice")).ToHaveTextAsync("已提交，已推送给 1 名志愿者");
        var item = page.Locator($"#live-list li[data-id='{requestId}']");
        await Expect(item).ToHaveAttributeAsync("data-status", "Offered");
        await Expect(item.Locator(".op-offered")).ToHaveTextAsync("已推送给 1 名志愿者");
        await Expect(item.Locator(".op-req-address")).ToHaveTextAsync("华龙区 中原路 2号院 5号楼 2单元 301");
        await Expect(page.Locator($"#file-card .op-history li[data-id='{requestId}']")).ToBeVisibleAsync();

        var (claim, claimed) = await volunteer.Client.PostAsync($"/api/requests/{requestId}/claim", null);
        Assert.True(claim == HttpStatusCode.OK, $"claim: {(int)claim} {claimed}");

        await Expect(item).ToHaveAttributeAsync("data-status", "Claimed");
        await Expect(item.Locator(".op-status")).ToHaveTextAsync("已接单");
        await Expect(item.Locator(".op-volunteer")).ToHaveTextAsync($"接单：{volunteerName}");
        await Expect(item.Locator(".op-eta")).ToContainTextAsync("分钟");

        // The timeline opens on demand, in Chinese, and follows the request while open.
        var timeline = item.Locator(".op-req-timeline");
        await timeline.Locator("summary").ClickAsync();
        var lines = timeline.Locator(".op-timeline li");
        await Expect(lines).ToHaveCountAsync(3);
        await Expect(lines.Nth(0)).ToContainTextAsync("热线登记");
        await Expect(lines.Nth(1)).ToContainTextAsync("已推送给 1 位志愿者（15 分钟服务圈）");
        await Expect(lines.Nth(2)).ToContainTextAsync($"{volunteerName} 抢单，预计");

        var (enRoute, _) = await volunteer.Client.PostAsync($"/api/requests/{requestId}/status", new StatusBody(RequestStatus.EnRoute));
        Assert.Equal(HttpStatusCode.OK, enRoute);
        await Expect(item).ToHaveAttributeAsync("data-status", "EnRoute");
        await Expect(lines).ToHaveCountAsync(4);
        await Expect(lines.Nth(3)).ToContainTextAsync("在途中");
        await Expect(timeline).ToHaveAttributeAsync("open", "");
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"), "the console reloaded");
        await session.ScreenshotAsync();
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Submit_DoubleClickAndForcedRetry_CreatesExactlyOneRequestEach()
    {
        var scene = new Scene(Web);
        using var operatorUser = await TestUsers.CreateAsync(Web, "operator");
        var number = NewMobile();
        await CreateFileAsync(operatorUser.Client, "孙家", number, scene.Family);
        await using var session = await OpenAsync(browser, Web, operatorUser);
        var page = session.Page;
        await FindAsync(session, number);

        // A double click: the button is disabled while the first submit runs.
        await FillRequestAsync(page, "Groceries", "Routine", "买米和油");
        await page.Locator("#intake-submit").DblClickAsync();
        await Expect(page.Locator("#intake-notice")).ToBeVisibleAsync();
        await Expect(page.Locator("#live-list li.op-req")).ToHaveCountAsync(1);
        Assert.Single(await MineAsync(operatorUser.Client));

        // A forced retry: the server takes the first POST but its answer is lost; the form keeps what was typed
        // and the second click sends the same key, which the server answers as a replay.
        await FillRequestAsync(page, "Meals", "Urgent", "送午饭");
        var keys = new List<string>();
        var posts = 0;
        await page.RouteAsync("**/api/requests", async route =>
        {
            if (route.Request.Method != "POST")
            {
                await route.ContinueAsync();
                return;
            }
            keys.Add(route.Request.Headers["idempotency-key"]);
            if (Interlocked.Increment(ref posts) == 1)
            {
                var handled = await route.FetchAsync();
                Assert.Equal(201, handled.Status);
                await route.AbortAsync("failed");
            }
            else
            {
                await route.ContinueAsync();
            }
        });
        await page.Locator("#intake-submit").ClickAsync();
        await Expect(page.Locator("#intake-error")).ToContainTextAsync("网络连接失败");
        await Expect(page.Locator("#intake-description")).ToHaveValueAsync("送午饭");
        await Expect(page.Locator("#intake-category-Meals")).ToBeCheckedAsync();
        await Expect(page.Locator("#intake-submit")).ToBeEnabledAsync();
        await session.ScreenshotAsync($"{nameof(Submit_DoubleClickAndForcedRetry_CreatesExactlyOneRequestEach)}-lost-answer");

        var retry = await page.RunAndWaitForResponseAsync(
            () => page.Locator("#intake-submit").ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.EndsWith("/api/requests", StringComparison.Ordinal));
        Assert.Equal(201, retry.Status);
        Assert.Equal("true", await retry.HeaderValueAsync("idempotent-replayed"));
        Assert.Equal(2, keys.Count);
        Assert.Equal(keys[0], keys[1]);
        await Expect(page.Locator("#intake-notice")).ToBeVisibleAsync();
        await Expect(page.Locator("#intake-error")).ToBeHiddenAsync();

        var mine = await MineAsync(operatorUser.Client);
        Assert.Equal(2, mine.Count);
        Assert.Equal("Groceries,Meals", string.Join(',', mine.Select(r => r!["category"]!.GetValue<string>()).Order()));
        await Expect(page.Locator("#live-list li.op-req")).ToHaveCountAsync(2);
        await session.ScreenshotAsync();
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Submit_WithoutPosition_IsRefusedInThePage()
    {
        using var operatorUser = await TestUsers.CreateAsync(Web, "operator");
        await using var session = await OpenAsync(browser, Web, operatorUser);
        var page = session.Page;
        await FindAsync(session, NewMobile());
        await Expect(page.Locator("#lookup-notfound")).ToBeVisibleAsync();

        await page.Locator("#intake-address").FillAsync("华龙区 中原路 9号");
        await FillRequestAsync(page, "Other", "Routine", "咨询");
        await page.Locator("#intake-submit").ClickAsync();

        await Expect(page.Locator("#intake-form [data-field=position] .field-error")).ToBeVisibleAsync();
        await Expect(page.Locator("#intake-description")).ToHaveValueAsync("咨询");
        Assert.Empty(await MineAsync(operatorUser.Client));

        // A click on the map sets the place; then it goes through.
        await page.Locator("#intake-map").ClickAsync();
        await page.Locator("#intake-submit").ClickAsync();
        await Expect(page.Locator("#intake-notice")).ToBeVisibleAsync();
        Assert.Single(await MineAsync(operatorUser.Client));
        await session.ScreenshotAsync();
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Cancel_WithAReason_ShowsTheRequestCancelled()
    {
        var scene = new Scene(Web);
        using var operatorUser = await TestUsers.CreateAsync(Web, "operator");
        var requestId = await scene.RequestAsync(operatorUser.Client);
        await using var session = await OpenAsync(browser, Web, operatorUser);
        var page = session.Page;
        var item = page.Locator($"#live-list li[data-id='{requestId}']");
        await Expect(item).ToHaveAttributeAsync("data-status", "Offered");

        await item.Locator(".op-cancel").ClickAsync();
        await item.Locator("button[type=submit]").ClickAsync();
        await Expect(item.Locator("[data-field=reason] .field-error")).ToHaveTextAsync("必填");
        await item.Locator("input").FillAsync("家属已自行解决");
        await item.Locator("button[type=submit]").ClickAsync();

        await Expect(item).ToHaveAttributeAsync("data-status", "Cancelled");
        await Expect(item.Locator(".op-status")).ToHaveTextAsync("已取消");
        await Expect(item.Locator(".op-cancel")).ToHaveCountAsync(0);
        var (_, view) = await operatorUser.Client.GetAsync($"/api/requests/{requestId}");
        Assert.Equal("Cancelled", view!["status"]!.GetValue<string>());
        await session.ScreenshotAsync();
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task FollowUp_NotSatisfied_ReopensTheRequestAndOffersItAgain()
    {
        var scene = new Scene(Web);
        using var operatorUser = await TestUsers.CreateAsync(Web, "operator");
        using var first = await scene.VolunteerAsync(scene.Offset(200, 0), skills: MedicineSkill);
        using var second = await scene.VolunteerAsync(scene.Offset(-200, 0), skills: MedicineSkill);
        var requestId = await scene.RequestAsync(operatorUser.Client);
        Assert.Equal(HttpStatusCode.OK, (await first.Client.PostAsync($"/api/requests/{requestId}/claim", null)).Status);
        foreach (var step in new[] { RequestStatus.EnRoute, RequestStatus.OnSite, RequestStatus.Completed })
        {
            var (status, body) = await first.Client.PostAsync($"/api/requests/{requestId}/status", new StatusBody(step));
            Assert.True(status == HttpStatusCode.OK, $"{step}: {(int)status} {body}");
        }
        // Listening from now on: the only offer the other volunteer can get is the one after the follow-up.
        await using var listener = await LiveListener.ConnectAsync("second volunteer", Web, second.Client.Cookies);

        await using var session = await OpenAsync(browser, Web, operatorUser);
        var page = session.Page;
        var live = page.Locator($"#live-list li[data-id='{requestId}']");
        await Expect(live).ToHaveAttributeAsync("data-status", "Completed");
        await page.Locator("#tab-followups").ClickAsync();
        var item = page.Locator($"#followup-list li[data-id='{requestId}']");
        await Expect(item).ToBeVisibleAsync();

        // A rating is needed.
        await item.Locator(".op-not-satisfied").ClickAsync();
        await Expect(item.Locator("[data-field=rating] .field-error")).ToBeVisibleAsync();

        await item.Locator("label[data-value='2']").ClickAsync();
        await item.Locator("textarea").FillAsync("志愿者没有买到药");
        await session.ScreenshotAsync($"{nameof(FollowUp_NotSatisfied_ReopensTheRequestAndOffersItAgain)}-form");
        await item.Locator(".op-not-satisfied").ClickAsync();

        var offer = await listener.WaitForAsync(LiveEvents.Offer,
            p => p.GetProperty("requestId").GetString() == requestId.ToString(), "the reopened request offered again");
        Assert.Equal(JsonValueKind.String, offer.Payload.GetProperty("requestId").ValueKind);
        await Expect(page.Locator("#followup-notice")).ToContainTextAsync("不满意");
        await Expect(item).ToHaveCountAsync(0);

        await page.Locator("#tab-call").ClickAsync();
        await Expect(live).ToHaveAttributeAsync("data-status", "Offered");
        await Expect(live.Locator(".op-offered")).ToHaveTextAsync("已推送给 1 名志愿者");
        var (_, view) = await operatorUser.Client.GetAsync($"/api/requests/{requestId}");
        Assert.Equal("Offered", view!["status"]!.GetValue<string>());
        await session.ScreenshotAsync();
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Files_SearchEditAndEnglish_RecordTheChange()
    {
        using var operatorUser = await TestUsers.CreateAsync(Web, "operator");
        var number = NewMobile();
        var workerName = "档案" + Guid.NewGuid().ToString("N")[..6];
        await CreateFileAsync(operatorUser.Client, workerName, number, (35.7674, 115.0258));
        await using var session = await OpenAsync(browser, Web, operatorUser);
        var page = session.Page;
        var urls = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Request += (_, request) => urls.Enqueue(request.Url);

        await page.Locator("#tab-files").ClickAsync();
        // A whole number finds the file; the number travels in the search's body, never in a URL.
        await page.Locator("#files-q").FillAsync(number);
        await page.Locator("#files-q").PressAsync("Enter");
        await Expect(page.Locator("#files-list .op-file-row")).ToHaveCountAsync(1);
        Assert.DoesNotContain(urls, url => url.Contains(number, StringComparison.Ordinal));
        await page.Locator("#files-q").FillAsync(workerName);
        await page.Locator("#files-q").PressAsync("Enter");
        await Expect(page.Locator("#files-list .op-file-row")).ToHaveCountAsync(1);
        Assert.DoesNotContain(urls, url => url.Contains(Uri.EscapeDataString(workerName), StringComparison.Ordinal));
        // The list shows numbers masked and no address; the whole file is read by id when it is opened.
        await Expect(page.Locator("#files-list .op-file-row")).ToContainTextAsync($"{number[..3]}****{number[^4..]}");
        await Expect(page.Locator("#files-list .op-file-row")).Not.ToContainTextAsync(number);
        await page.Locator("#files-list .op-file-row").ClickAsync();
        await Expect(page.Locator("#files-detail .op-file-name")).ToHaveTextAsync(workerName);
        await Expect(page.Locator("#files-detail")).ToContainTextAsync(number);

        await page.Locator("#files-edit").ClickAsync();
        await page.Locator("#fe-notes").FillAsync("需要定期探望");
        await page.Locator("#fe-add-address").ClickAsync();
        var second = page.Locator("#file-editor .op-address").Nth(1);
        await second.Locator("input[name=label]").FillAsync("父母家");
        await second.Locator("input[name=text]").FillAsync("华龙区 人民路 6号");
        await page.Locator("#fe-save").ClickAsync();
        // The new address has no position yet: the page says so next to its map.
        await Expect(second.Locator("[data-field='addresses[1].position'] .field-error")).ToBeVisibleAsync();
        await second.Locator(".op-address-map").ClickAsync();
        await page.Locator("#fe-save").ClickAsync();
        await Expect(page.Locator("#file-editor")).ToBeHiddenAsync();
        await Expect(page.Locator("#files-detail")).ToContainTextAsync("父母家");
        await Expect(page.Locator("#files-detail .op-changes summary")).ToHaveTextAsync("修改记录（2）");

        // English, remembered; the file goes to the call screen with its addresses to choose from.
        await page.Locator(".lang-switch").ClickAsync();
        await Expect(page.Locator("#tab-files")).ToHaveTextAsync("Family files");
        await page.Locator("#files-use").ClickAsync();
        await Expect(page.Locator("#intake-family")).ToHaveTextAsync($"Family: {workerName}");
        await Expect(page.Locator("#intake-address-choice option")).ToHaveCountAsync(2);
        await page.Locator("#intake-address-choice").SelectOptionAsync("1");
        await Expect(page.Locator("#intake-address")).ToHaveValueAsync("华龙区 人民路 6号");
        await page.ReloadAsync();
        await Expect(page.Locator("#tab-call")).ToHaveTextAsync("Take a call");
        await session.ScreenshotAsync();
        session.AssertNoScriptErrors();
    }
}
