using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Outreach.Contracts;
using Outreach.Model;
using Outreach.Tests.Dispatch;
using Outreach.Tests.Infrastructure;
using Outreach.Tests.Live;
using static Microsoft.Playwright.Assertions;

namespace Outreach.Tests.Browser.Coordinator;

/// <summary>
/// The coordinator's desk in a real Chromium against the real system: the live map and queue, the actions,
/// the figures, and the rosters with the CSV import.
/// </summary>
[Collection(BrowserCollection.Name)]
[Category(TestCategory.Browser)]
public sealed class CoordinatorPageTests(SystemFixture system, BrowserFixture browser)
{
    /// <summary>How long a live change may take to show (generous: this is not a timing assertion).</summary>
    private static readonly LocatorAssertionsToHaveAttributeOptions Live = new() { Timeout = 5_000 };

    private WebNode Web => system.Web;

    [Fact]
    public async Task PostedRequest_AppearsOnTheMapAndInTheQueue_AndAClaimChangesItsState()
    {
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        var scene = new Scene(Web);
        using var volunteer = await scene.VolunteerAsync(scene.Offset(150, 0));
        await using var session = await OpenDeskAsync(coordinator);

        var id = await scene.RequestAsync(coordinator.Client);

        var pin = CoordinatorDesk.Pin(session.Page, id);
        var row = CoordinatorDesk.QueueRow(session.Page, id);
        await Expect(pin).ToHaveAttributeAsync("data-status", "Offered", Live);
        await Expect(row).ToHaveAttributeAsync("data-status", "Offered", Live);
        await Expect(pin).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("status-Offered"));

        // The waiting timer runs.
        var timer = row.Locator(".co-timer");
        await Expect(timer).ToContainTextAsync("等待接单");
        var first = await timer.TextContentAsync();
        await Expect(timer).Not.ToHaveTextAsync(first!, new() { Timeout = 5_000 });

        var (status, body) = await volunteer.Client.PostAsync($"/api/requests/{id}/claim", null);
        Assert.True(status == HttpStatusCode.OK, $"claim: {(int)status} {body}");

        await Expect(pin).ToHaveAttributeAsync("data-status", "Claimed", Live);
        await Expect(pin).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("status-Claimed"));
        await Expect(row).ToHaveAttributeAsync("data-status", "Claimed", Live);
        await Expect(row.Locator(".co-timer")).ToContainTextAsync("已接单未出发");

        // Clicking the row shows the details and the timeline (and pans the map there).
        await row.ClickAsync();
        await Expect(session.Page.Locator("#detail h2")).ToContainTextAsync("已接单");
        await Expect(CoordinatorDesk.Timeline(session.Page)).ToContainTextAsync("已接单");
        // The lines the system wrote read in Chinese, with their values (not the API's English note).
        await Expect(CoordinatorDesk.Timeline(session.Page)).ToContainTextAsync("热线登记");
        await Expect(CoordinatorDesk.Timeline(session.Page)).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"已推送给 \d+ 位志愿者（15 分钟服务圈）"));
        await Expect(CoordinatorDesk.Timeline(session.Page)).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"抢单，预计 [\d.]+ 分钟到达"));
        await Expect(CoordinatorDesk.Timeline(session.Page)).Not.ToContainTextAsync("claimed by");
        // What reached whom: the offer sent to the volunteer's live page, the family's SMS on the claim.
        await Expect(session.Page.Locator("#deliveries li[data-event='offer'][data-channel='socket'][data-outcome='sent']")).ToContainTextAsync("实时页面");
        await Expect(session.Page.Locator("#deliveries li[data-event='claimed'][data-channel='sms'][data-outcome='accepted']"))
            .ToContainTextAsync("短信", new() { Timeout = 10_000 });
        await session.ScreenshotAsync(fullPage: false);
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task VolunteerPositionUpdate_MovesTheirMarker()
    {
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        var scene = new Scene(Web);
        using var volunteer = await scene.VolunteerAsync(scene.Offset(0, 0));
        var volunteerId = volunteer.VolunteerId!.Value;
        await using var session = await OpenDeskAsync(coordinator);
        // The map shows the volunteers of its view: look at the scene, zoomed in.
        await SetViewAsync(session, scene.Family, 14);
        await WaitForMarkerAsync(session, volunteerId, scene.Family.Lat);

        var next = scene.Offset(800, 300);
        var (status, body) = await volunteer.Client.PostAsync("/api/volunteers/me/position", new PositionReport(next.Lat, next.Lon, 5));
        Assert.True(status == HttpStatusCode.OK, $"position: {(int)status} {body}");

        await WaitForMarkerAsync(session, volunteerId, next.Lat);
        var position = await DeskMap.VolunteerMarkerAsync(session.Page, volunteerId);
        Assert.NotNull(position);
        Assert.Equal(next.Lon, position[1], 6);

        // Off duty: the marker leaves the map.
        await volunteer.Client.PostAsync("/api/volunteers/me/duty", new DutyRequest(false));
        await DeskMap.WaitForNoVolunteerMarkerAsync(session.Page, volunteerId);
        await session.ScreenshotAsync(fullPage: false);
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Map_ZoomedOut_ShowsCountsPerCluster_ZoomedIn_ShowsEachVolunteer()
    {
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        var scene = new Scene(Web);
        var (firstAt, secondAt) = (scene.Offset(0, 0), scene.Offset(120, 90));
        using var first = await scene.VolunteerAsync(firstAt);
        using var second = await scene.VolunteerAsync(secondAt);
        await using var session = await OpenDeskAsync(coordinator);

        // Zoomed out over the region: bubbles with counts, and no single volunteer drawn.
        await SetViewAsync(session, scene.Family, 9);
        await session.Page.WaitForFunctionAsync(
            "n => [...document.querySelectorAll('.vol-cluster')].reduce((sum, c) => sum + Number(c.dataset.count), 0) >= n",
            2, new() { Timeout = 15_000 });
        await Expect(session.Page.Locator(".vol-cluster").First).ToBeVisibleAsync();
        var shown = await session.Page.Locator(".vol-cluster").EvaluateAllAsync<int[]>("nodes => nodes.map(n => Number(n.dataset.count))");
        Assert.True(shown.Sum() >= 2, $"cluster counts on the map: {string.Join(", ", shown)}");
        await Expect(session.Page.Locator(".leaflet-marker-pane .vol-pin")).ToHaveCountAsync(0);
        await session.ScreenshotAsync("Map-clusters", fullPage: false);

        // Zoomed in on the street: each volunteer at their place, no bubbles.
        await SetViewAsync(session, scene.Family, 16);
        await WaitForMarkerAsync(session, first.VolunteerId!.Value, firstAt.Lat);
        await WaitForMarkerAsync(session, second.VolunteerId!.Value, secondAt.Lat);
        await Expect(session.Page.Locator(".vol-cluster")).ToHaveCountAsync(0);
        await Expect(session.Page.Locator($".vol-pin[data-id='{first.VolunteerId}']")).ToBeVisibleAsync();

        // A move inside the view follows (the hub's once-a-second moves of the watched view).
        var next = scene.Offset(60, -40);
        await Ok(first.Client.PostAsync("/api/volunteers/me/position", new PositionReport(next.Lat, next.Lon, 5)), "position");
        await WaitForMarkerAsync(session, first.VolunteerId!.Value, next.Lat);
        await session.ScreenshotAsync("Map-markers", fullPage: false);
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task AssignFromTheCandidates_TheChosenVolunteersConnectionGetsTheAssignment()
    {
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        var scene = new Scene(Web);
        using var near = await scene.VolunteerAsync(scene.Offset(100, 0), name: "近处志愿者");
        using var far = await scene.VolunteerAsync(scene.Offset(600, 0), name: "远处志愿者");
        await using var farLive = await LiveListener.ConnectAsync("the chosen volunteer", Web, far.Client.Cookies);
        var id = await scene.RequestAsync(coordinator.Client);
        await using var session = await OpenDeskAsync(coordinator);

        await CoordinatorDesk.ChooseAsync(session.Page, id);
        var candidates = CoordinatorDesk.Candidates(session.Page);
        await Expect(candidates).ToHaveCountAsync(2);
        await Expect(candidates.First).ToContainTextAsync("近处志愿者"); // ranked by ETA
        await CoordinatorDesk.AssignButton(session.Page, far.VolunteerId!.Value).ClickAsync();

        var update = await farLive.WaitForAsync(LiveEvents.RequestUpdated,
            p => p.GetProperty("request").GetProperty("id").GetGuid() == id
                 && p.GetProperty("request").GetProperty("assignedVolunteerId").ValueKind == JsonValueKind.String
                 && p.GetProperty("request").GetProperty("assignedVolunteerId").GetGuid() == far.VolunteerId,
            "the assignment");
        Assert.Equal("Claimed", update.Payload.GetProperty("request").GetProperty("status").GetString());

        await Expect(CoordinatorDesk.Pin(session.Page, id)).ToHaveAttributeAsync("data-status", "Claimed", Live);
        await Expect(CoordinatorDesk.Detail(session.Page)).ToContainTextAsync("远处志愿者");
        await Expect(CoordinatorDesk.Timeline(session.Page)).ToContainTextAsync("指派给 远处志愿者");

        // A note goes into the timeline too.
        await session.Page.Locator("#note-text").FillAsync("已电话确认");
        await session.Page.Locator("#add-note").ClickAsync();
        await Expect(CoordinatorDesk.Timeline(session.Page)).ToContainTextAsync("已电话确认");
        await session.ScreenshotAsync(fullPage: false);
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task ANoteBeingTyped_SurvivesALiveChangeOfTheShownRequest_AndIsAdded()
    {
        await using var shown = await ShowRequestAsync("近处志愿者");
        var (coordinator, scene, near, id, session) = shown;
        await Expect(CoordinatorDesk.Detail(session.Page).Locator(".chip.status")).ToHaveClassAsync(new Regex("status-Offered"));

        // Half a note typed, then the volunteer claims: the panel is drawn again with the new status.
        var note = session.Page.Locator("#note-text");
        await note.FillAsync("家属说下午三点前");
        await Ok(near.Client.PostAsync($"/api/requests/{id}/claim", null), "claim");
        await Expect(CoordinatorDesk.Detail(session.Page).Locator(".chip.status")).ToHaveClassAsync(new Regex("status-Claimed"));

        await Expect(session.Page.Locator("#note-text")).ToHaveValueAsync("家属说下午三点前");
        await Expect(session.Page.Locator("#note-text")).ToBeFocusedAsync();
        await session.Page.Locator("#note-text").PressSequentiallyAsync("在家");
        await session.Page.Locator("#add-note").ClickAsync();
        await Expect(CoordinatorDesk.Timeline(session.Page)).ToContainTextAsync("家属说下午三点前在家");

        // Another request shown next starts with an empty note.
        var other = await scene.RequestAsync(coordinator.Client);
        await session.Page.Locator("#note-text").FillAsync("只给第一个请求");
        await CoordinatorDesk.ChooseAsync(session.Page, other);
        await Expect(CoordinatorDesk.Detail(session.Page).Locator(".chip.status")).ToHaveClassAsync(new Regex("status-Offered"));
        await Expect(session.Page.Locator("#note-text")).ToHaveValueAsync("");
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Assign_ToAVolunteerWhoWentOffDuty_AsksForConfirmationAndRecordsItWasForced()
    {
        await using var shown = await ShowRequestAsync("刚下岗志愿者");
        var (_, _, volunteer, id, session) = shown;
        var assign = CoordinatorDesk.AssignButton(session.Page, volunteer.VolunteerId!.Value);
        await Expect(assign).ToBeVisibleAsync();

        await Ok(volunteer.Client.PostAsync("/api/volunteers/me/duty", new DutyRequest(false)), "off duty");
        await assign.ClickAsync();

        await Expect(session.Page.Locator(".co-confirm")).ToContainTextAsync("刚下岗志愿者");
        await session.ScreenshotAsync("Assign_ToAVolunteerWhoWentOffDuty-confirm", fullPage: false);
        await session.Page.Locator("#confirm-force").ClickAsync();

        await Expect(CoordinatorDesk.Pin(session.Page, id)).ToHaveAttributeAsync("data-status", "Claimed", Live);
        await Expect(session.Page.Locator("#timeline .forced")).ToHaveCountAsync(1);
        await Expect(session.Page.Locator("#timeline .forced")).ToHaveTextAsync("强制指派");
        await Expect(session.Page.Locator("#timeline .forced")).ToHaveAttributeAsync("title", "该志愿者未在岗");
        await session.ScreenshotAsync(fullPage: false);
        session.AssertNoScriptErrors("HTTP 409 POST");
    }

    [Fact]
    public async Task CancelWithAReason_TakesTheRequestOffTheMapAndQueue()
    {
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        var scene = new Scene(Web);
        var id = await scene.RequestAsync(coordinator.Client, urgency: "Emergency");
        await using var session = await OpenDeskAsync(coordinator, "?lang=en");

        await CoordinatorDesk.ChooseAsync(session.Page, id);
        await session.Page.Locator("#reoffer").ClickAsync();
        await Expect(session.Page.Locator($"#queue li[data-id='{id}'] .chip.escalated")).ToBeVisibleAsync();
        await session.ScreenshotAsync("CancelWithAReason-escalated", fullPage: false);

        await session.Page.Locator("#cancel-reason").FillAsync("family solved it");
        await session.Page.Locator("#cancel-request").ClickAsync();
        await Expect(CoordinatorDesk.QueueRow(session.Page, id)).ToHaveCountAsync(0);
        await Expect(CoordinatorDesk.Pin(session.Page, id)).ToHaveCountAsync(0);
        await Expect(CoordinatorDesk.Detail(session.Page)).ToContainTextAsync("This request is closed");
        await Expect(CoordinatorDesk.Timeline(session.Page)).ToContainTextAsync("family solved it");
        await session.ScreenshotAsync(fullPage: false);
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Figures_CountAScriptedSetOfRequests_AndThePageShowsThem()
    {
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        var scene = new Scene(Web);
        using var volunteer = await scene.VolunteerAsync(scene.Offset(100, 0), skills: ["Medicine", "Groceries"], capacity: 3);
        var since = DateTimeOffset.UtcNow.AddMilliseconds(-5);

        var offered = await scene.RequestAsync(coordinator.Client, "Medicine", "Routine");
        var claimed = await scene.RequestAsync(coordinator.Client, "Medicine", "Routine");
        var completed = await scene.RequestAsync(coordinator.Client, "Medicine", "Urgent");
        var cancelled = await scene.RequestAsync(coordinator.Client, "Groceries", "Routine");
        await Ok(volunteer.Client.PostAsync($"/api/requests/{claimed}/claim", null), "claim");
        await Ok(volunteer.Client.PostAsync($"/api/requests/{completed}/claim", null), "claim");
        foreach (var step in new[] { RequestStatus.EnRoute, RequestStatus.OnSite, RequestStatus.Completed })
            await Ok(volunteer.Client.PostAsync($"/api/requests/{completed}/status", new StatusBody(step)), step.ToString());
        await Ok(coordinator.Client.PostAsync($"/api/requests/{cancelled}/cancel", new ReasonBody("no longer needed")), "cancel");
        Assert.NotEqual(Guid.Empty, offered);

        var sinceText = since.ToString("O", CultureInfo.InvariantCulture);
        // The delivery record is written a moment after the offers (in batches): wait for its four offers.
        var (status, stats) = await coordinator.Client.GetAsync($"/api/stats/dispatch?since={Uri.EscapeDataString(sinceText)}");
        for (var wait = 0; wait < 50 && status == HttpStatusCode.OK && stats!["deliveries"]!["offers"]!.GetValue<int>() < 4; wait++)
        {
            await Task.Delay(200);
            (status, stats) = await coordinator.Client.GetAsync($"/api/stats/dispatch?since={Uri.EscapeDataString(sinceText)}");
        }
        Assert.True(status == HttpStatusCode.OK, $"stats: {(int)status} {stats}");
        Assert.Equal(4, stats!["total"]!.GetValue<int>());
        Assert.Equal(1, stats["byStatus"]!["Offered"]!.GetValue<int>());
        Assert.Equal(1, stats["byStatus"]!["Claimed"]!.GetValue<int>());
        Assert.Equal(1, stats["byStatus"]!["Completed"]!.GetValue<int>());
        Assert.Equal(1, stats["byStatus"]!["Cancelled"]!.GetValue<int>());
        Assert.Equal(3, stats["byCategory"]!["Medicine"]!.GetValue<int>());
        Assert.Equal(1, stats["byCategory"]!["Groceries"]!.GetValue<int>());
        Assert.Equal(2, stats["timeToClaim"]!["count"]!.GetValue<int>());
        Assert.Equal(1, stats["timeToArrival"]!["count"]!.GetValue<int>());
        Assert.Equal(15, stats["reachedWithinCircle"]!["circleMinutes"]!.GetValue<double>());
        Assert.Equal(1, stats["reachedWithinCircle"]!["arrived"]!.GetValue<int>());
        Assert.Equal(1, stats["reachedWithinCircle"]!["onTime"]!.GetValue<int>());
        // Claims and the arrival happened within seconds of the intake.
        Assert.InRange(stats["timeToClaim"]!["medianMinutes"]!.GetValue<double>(), 0, 1);
        Assert.InRange(stats["timeToArrival"]!["medianMinutes"]!.GetValue<double>(), 0, 1);
        Assert.Equal(24, stats["lastDay"]!.AsArray().Count);
        // Four offers to a volunteer without a page or a push device: none reached a device.
        var deliveries = stats["deliveries"]!;
        Assert.True(deliveries["offers"]!.GetValue<int>() >= 4, $"deliveries: {deliveries}");
        Assert.Equal(deliveries["offers"]!.GetValue<int>() - deliveries["seen"]!.GetValue<int>(), deliveries["reachedNoDevice"]!.GetValue<int>());

        await using var session = await OpenDeskAsync(coordinator, $"?since={Uri.EscapeDataString(sinceText)}#figures");
        await Expect(session.Page.Locator("#fig-total")).ToHaveTextAsync("4");
        await Expect(session.Page.Locator("#fig-status tr[data-key='Completed'] td.n")).ToHaveTextAsync("1");
        await Expect(session.Page.Locator("#fig-status tr[data-key='Offered'] td.n")).ToHaveTextAsync("1");
        await Expect(session.Page.Locator("#fig-category tr[data-key='Medicine'] td.n")).ToHaveTextAsync("3");
        await Expect(session.Page.Locator("#fig-claim [data-figure='count']")).ToHaveTextAsync("2");
        await Expect(session.Page.Locator("#fig-within-circle")).ToHaveTextAsync("100%");
        await Expect(session.Page.Locator("#fig-within-circle-title")).ToHaveTextAsync("15分钟内到达");
        await Expect(session.Page.Locator(".co-chart rect")).ToHaveCountAsync(48);
        await Expect(session.Page.Locator("#fig-no-device")).ToHaveTextAsync(deliveries["reachedNoDevice"]!.GetValue<int>().ToString(CultureInfo.InvariantCulture));
        await Expect(session.Page.Locator("#fig-deliveries")).ToContainTextAsync("未送达任何设备的派单");
        await session.ScreenshotAsync();
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task CsvImport_WithGoodAndBadRows_ImportsTheGoodOnesAndReportsEveryBadLine()
    {
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        var tag = Guid.NewGuid().ToString("N")[..6];
        var stationName = $"导入测试驿站{tag}";
        var (stationStatus, station) = await coordinator.Client.PostAsync("/api/stations",
            new StationRequest(stationName, "华龙区 测试路 1号", new PositionDto(35.76, 115.03), CircleRadiusM: 1500));
        Assert.True(stationStatus == HttpStatusCode.Created, $"station: {(int)stationStatus} {station}");
        var csv = string.Join('\n',
            "name,phone,skills,travelMode,homeStation,capacity",
            $"导入甲{tag},13912340001,Medicine|FirstAid,EBike,{stationName},2",
            $"导入乙{tag},not-a-phone,Meals,Walk,,",
            $"导入丙{tag},13912340003,Cooking,Walk,,",
            $"导入丁{tag},13912340004,Meals;Groceries,Rocket,,",
            $"导入戊{tag},13912340005,Meals,Walk,没有这个驿站{tag},",
            $"导入己{tag},13912340006",
            $"导入庚{tag},13912340007,Tutoring,Bike,{station!["id"]},11",
            $"导入辛{tag},13912340008,Tutoring;Other,Bike,{station["id"]},");
        await using var session = await OpenDeskAsync(coordinator, "#rosters");
        await Expect(session.Page.Locator("#import-form")).ToBeVisibleAsync();

        var keys = new System.Collections.Concurrent.ConcurrentQueue<string?>();
        session.Page.Request += (_, request) =>
        {
            if (request.Url.EndsWith("/api/volunteers/import", StringComparison.Ordinal))
                keys.Enqueue(request.Headers.GetValueOrDefault("idempotency-key"));
        };
        await session.Page.Locator("#import-file").SetInputFilesAsync(new FilePayload
        {
            Name = "volunteers.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv),
        });
        await session.Page.Locator("#import-submit").ClickAsync();

        await Expect(session.Page.Locator("#import-summary")).ToHaveTextAsync("导入 2 人，拒绝 6 行");
        Assert.False(string.IsNullOrEmpty(Assert.Single(keys)), "the import was sent without an Idempotency-Key"); // a resend makes no one twice
        var report = session.Page.Locator(".co-import-report li");
        await Expect(report).ToHaveCountAsync(6);
        await Expect(report.Nth(0)).ToContainTextAsync("第 3 行");
        await Expect(report.Nth(0)).ToContainTextAsync("phone");
        await Expect(session.Page.Locator(".co-import-report li[data-line='4']")).ToContainTextAsync("Cooking");
        await Expect(session.Page.Locator(".co-import-report li[data-line='5']")).ToContainTextAsync("travelMode");
        await Expect(session.Page.Locator(".co-import-report li[data-line='6']")).ToContainTextAsync("homeStation");
        await Expect(session.Page.Locator(".co-import-report li[data-line='7']")).ToContainTextAsync("field");
        await Expect(session.Page.Locator(".co-import-report li[data-line='8']")).ToContainTextAsync("capacity");

        var good = CoordinatorDesk.VolunteerRow(session.Page, $"导入甲{tag}");
        await Expect(good).ToBeVisibleAsync();
        await Expect(good).ToContainTextAsync(stationName);
        await Expect(CoordinatorDesk.VolunteerRow(session.Page, $"导入辛{tag}")).ToBeVisibleAsync();
        await Expect(CoordinatorDesk.VolunteerRow(session.Page, $"导入乙{tag}")).ToHaveCountAsync(0);
        await session.ScreenshotAsync(fullPage: false);

        // Deactivating from the roster.
        await good.Locator("button[data-action='deactivate']").ClickAsync();
        await Expect(good).ToHaveClassAsync("inactive");
        var (_, list) = await coordinator.Client.GetAsync("/api/volunteers");
        var imported = list!.AsArray().Single(v => v!["name"]!.GetValue<string>() == $"导入甲{tag}")!;
        Assert.False(imported["active"]!.GetValue<bool>());
        Assert.Equal(station["id"]!.GetValue<Guid>(), imported["homeStationId"]!.GetValue<Guid>());
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task CsvImport_WithoutTheRequiredColumns_Is400()
    {
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        using var content = new StringContent("name,phone\n张三,13912340001\n", System.Text.Encoding.UTF8, "text/csv");
        using var response = await coordinator.Client.Http.PostAsync("/api/volunteers/import", content);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("skills", body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        using var operatorUser = await TestUsers.CreateAsync(Web, "operator");
        using var again = new StringContent("name,phone,skills,travelMode\n", System.Text.Encoding.UTF8, "text/csv");
        using var forbidden = await operatorUser.Client.Http.PostAsync("/api/volunteers/import", again);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task Desk_SwitchesToEnglish_AndEveryTabRenders()
    {
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        var request = await new Scene(Web).RequestAsync(coordinator.Client, category: "Medicine");
        await using var session = await OpenDeskAsync(coordinator);
        await Expect(CoordinatorDesk.Tab(session.Page, "live")).ToHaveTextAsync("实时地图与队列");
        var row = CoordinatorDesk.QueueRow(session.Page, request);
        await Expect(row.Locator("strong")).ToHaveTextAsync("药箱子");

        await session.Page.Locator(".lang-switch").ClickAsync();
        await Expect(CoordinatorDesk.Tab(session.Page, "live")).ToHaveTextAsync("Live map and queue");
        await Expect(session.Page.Locator(".co-queue h2")).ToHaveTextAsync("Queue");
        // The queue's rows are drawn again in the new language, not only those whose request changed.
        await Expect(row.Locator("strong")).ToHaveTextAsync("Medicine");
        await Expect(row.Locator(".co-timer")).ToContainTextAsync(new Regex("[A-Za-z]"));
        await Expect(session.Page.Locator("#care-upcoming h3")).ToHaveTextAsync("Care today & tomorrow");
        await Expect(session.Page.Locator("#care-upcoming .co-care-filter")).ToHaveTextAsync("Without a helper only");
        await CoordinatorDesk.Tab(session.Page, "figures").ClickAsync();
        await Expect(session.Page.Locator("#fig-total")).ToBeVisibleAsync();
        await session.ScreenshotAsync("Desk_SwitchesToEnglish-figures");
        await CoordinatorDesk.Tab(session.Page, "rosters").ClickAsync();
        await Expect(session.Page.Locator("#volunteers-table")).ToBeVisibleAsync();
        await session.ScreenshotAsync(fullPage: false);
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Rosters_CreateAndEditAStationAndAVolunteer_ThroughTheForms_AndABadPhoneIsRefused()
    {
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        var tag = Guid.NewGuid().ToString("N")[..6];
        await using var session = await OpenDeskAsync(coordinator, "#rosters");
        var page = session.Page;

        // A new station.
        await page.Locator("#new-station").ClickAsync();
        var stationForm = page.Locator("#station-form");
        await stationForm.Locator("input[name=name]").FillAsync($"表单驿站{tag}");
        await stationForm.Locator("input[name=address]").FillAsync("华龙区 人民路 8 号");
        await stationForm.Locator("input[name=lat]").FillAsync("35.7612");
        await stationForm.Locator("input[name=lon]").FillAsync("115.0291");
        await stationForm.Locator("input[name=circleRadiusM]").FillAsync("1500");
        await stationForm.Locator("input[name=phone]").FillAsync("0393-1234567");
        await stationForm.Locator("button[type=submit]").ClickAsync();
        await Expect(CoordinatorDesk.Flash(page)).ToHaveTextAsync("已保存");
        var stationRow = page.Locator("#stations-table tr", new() { HasText = $"表单驿站{tag}" });
        await Expect(stationRow).ToContainTextAsync("1500");

        // Edited: a wider circle.
        await stationRow.Locator("button").ClickAsync();
        await page.Locator("#station-form input[name=circleRadiusM]").FillAsync("2500");
        await page.Locator("#station-form button[type=submit]").ClickAsync();
        await Expect(stationRow).ToContainTextAsync("2500");
        var stationId = Guid.Parse((await stationRow.GetAttributeAsync("data-id"))!);
        var (_, station) = await coordinator.Client.GetAsync($"/api/stations/{stationId}");
        Assert.Equal(2500, station!["circleRadiusM"]!.GetValue<int>());
        Assert.Equal(35.7612, station["position"]!["lat"]!.GetValue<double>());

        // A volunteer with a phone that is not one: the page says so and nothing is created.
        await page.Locator("#new-volunteer").ClickAsync();
        var volunteerForm = page.Locator("#volunteer-form");
        await volunteerForm.Locator("input[name=name]").FillAsync($"表单志愿者{tag}");
        await volunteerForm.Locator("input[name=phone]").FillAsync("12ab");
        await volunteerForm.Locator("select[name=travelMode]").SelectOptionAsync("EBike");
        await volunteerForm.Locator("select[name=homeStationId]").SelectOptionAsync(stationId.ToString());
        await volunteerForm.Locator("input[name=capacity]").FillAsync("2");
        await volunteerForm.Locator("input[type=checkbox][value=Medicine]").CheckAsync();
        await volunteerForm.Locator("input[type=checkbox][value=Escort]").CheckAsync();
        await volunteerForm.Locator("button[type=submit]").ClickAsync();
        await Expect(page.Locator("#co-flash.error")).ToHaveTextAsync("请检查填写的内容：电话");
        await Expect(CoordinatorDesk.VolunteerRow(page, $"表单志愿者{tag}")).ToHaveCountAsync(0);
        await session.ScreenshotAsync("Rosters-bad-phone", fullPage: false);

        // Corrected, it is saved with what the form said, and the station counts it.
        await volunteerForm.Locator("input[name=phone]").FillAsync("139 1234 5678");
        await volunteerForm.Locator("button[type=submit]").ClickAsync();
        var volunteerRow = CoordinatorDesk.VolunteerRow(page, $"表单志愿者{tag}");
        await Expect(volunteerRow).ToContainTextAsync("药箱子、应急陪护");
        await Expect(volunteerRow).ToContainTextAsync($"表单驿站{tag}");
        await Expect(stationRow.Locator("td").Nth(3)).ToHaveTextAsync("1");
        var volunteerId = Guid.Parse((await volunteerRow.GetAttributeAsync("data-id"))!);

        // Edited: one more request at a time, then deactivated.
        await volunteerRow.Locator("button", new() { HasText = "编辑" }).ClickAsync();
        await Expect(page.Locator("#volunteer-form input[name=phone]")).Not.ToHaveValueAsync("");
        await page.Locator("#volunteer-form input[name=capacity]").FillAsync("3");
        await page.Locator("#volunteer-form button[type=submit]").ClickAsync();
        await Expect(CoordinatorDesk.Flash(page)).ToHaveTextAsync("已保存");
        // The form closes when the save is done (the flash may still be the create's): only then deactivate, or the
        // edit's write could land after the deactivation and undo it.
        await Expect(page.Locator("#volunteer-form")).ToHaveCountAsync(0);
        await volunteerRow.Locator("button[data-action=deactivate]").ClickAsync();
        await Expect(volunteerRow).ToContainTextAsync("已停用");

        var (_, volunteer) = await coordinator.Client.GetAsync($"/api/volunteers/{volunteerId}");
        Assert.Equal(3, volunteer!["capacity"]!.GetValue<int>());
        Assert.Equal("EBike", volunteer["travelMode"]!.GetValue<string>());
        Assert.Equal(stationId, volunteer["homeStationId"]!.GetValue<Guid>());
        Assert.False(volunteer["active"]!.GetValue<bool>());
        Assert.Equal(["Escort", "Medicine"], volunteer["skills"]!.AsArray().Select(s => s!.GetValue<string>()).Order());
        await session.ScreenshotAsync(fullPage: false);
        session.AssertNoScriptErrors("HTTP 400 POST /api/volunteers");
    }

    [Fact]
    public async Task Accounts_AdminGivesAVolunteerALogin_ThenDisablesIt_CoordinatorsDoNotSeeTheTab()
    {
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        var tag = Guid.NewGuid().ToString("N")[..6];
        var login = "vol" + tag;
        var (created, volunteer) = await coordinator.Client.PostAsync("/api/volunteers", new
        {
            name = $"新志愿者{tag}", phone = "13912345678", skills = new[] { "Meals" }, travelMode = "Bike",
        });
        Assert.True(created == HttpStatusCode.Created, $"volunteer: {(int)created} {volunteer}");
        await using var session = await CoordinatorDesk.OpenAsAdminAsync(browser, Web, "#accounts");
        var page = session.Page;
        await Expect(page.Locator("#accounts-table")).ToBeVisibleAsync(new() { Timeout = 30_000 });

        // Too short a password: the page names the field, nothing is created.
        await page.Locator("#new-account").ClickAsync();
        var form = page.Locator("#account-form");
        await form.Locator("input[name=login]").FillAsync(login);
        await form.Locator("input[name=name]").FillAsync($"新志愿者{tag}");
        await form.Locator("input[name=password]").FillAsync("short");
        await form.Locator("input[type=checkbox][value=volunteer]").CheckAsync();
        await form.Locator("select[name=volunteerId]").SelectOptionAsync(volunteer!["id"]!.GetValue<string>());
        await form.Locator("button[type=submit]").ClickAsync();
        await Expect(page.Locator("#co-flash.error")).ToHaveTextAsync("请检查填写的内容：密码");
        await Expect(CoordinatorDesk.AccountRow(page, login)).ToHaveCountAsync(0);

        await form.Locator("input[name=password]").FillAsync("first-password-1");
        await form.Locator("button[type=submit]").ClickAsync();
        var row = CoordinatorDesk.AccountRow(page, login);
        await Expect(row).ToContainTextAsync("志愿者");
        await Expect(row).ToContainTextAsync($"新志愿者{tag}");
        await Expect(row).ToContainTextAsync("可登录");
        using (var signedIn = await Web.LoginAsync(login, "first-password-1"))
        {
            var (_, me) = await signedIn.GetAsync("/api/me");
            Assert.Equal(volunteer["id"]!.GetValue<Guid>(), me!["volunteerId"]!.GetValue<Guid>());
        }

        await row.Locator("button[data-action=disable]").ClickAsync();
        await Expect(row).ToContainTextAsync("已停用");
        using var refused = Web.Anonymous();
        var (signIn, _) = await refused.PostAsync("/api/auth/login", new LoginRequest(login, "first-password-1"));
        Assert.Equal(HttpStatusCode.Forbidden, signIn);
        await session.ScreenshotAsync(fullPage: false);
        session.AssertNoScriptErrors("HTTP 400 POST /api/accounts");

        await using var desk = await OpenDeskAsync(coordinator);
        await Expect(CoordinatorDesk.Tab(desk.Page, "accounts")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Audit_AdminSeesWhoReadAFile_FilteredBySubject_InBothLanguages_CoordinatorsDoNotSeeTheTab()
    {
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        using var operatorUser = await TestUsers.CreateAsync(Web, "operator");
        var phone = "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);
        var (created, file) = await operatorUser.Client.PostAsync("/api/workers", new FamilyFileRequest("审计" + Guid.NewGuid().ToString("N")[..4], phone));
        Assert.True(created == HttpStatusCode.Created, $"file: {(int)created} {file}");
        var fileId = file!["id"]!.GetValue<Guid>();
        await operatorUser.Client.GetAsync($"/api/workers/{fileId}");
        await using var session = await CoordinatorDesk.OpenAsAdminAsync(browser, Web, "#audit");
        var page = session.Page;
        await Expect(page.Locator("#audit-form")).ToBeVisibleAsync(new() { Timeout = 30_000 });

        await page.Locator("#audit-subject").FillAsync(fileId.ToString());
        await page.Locator("#audit-form button[type=submit]").ClickAsync();
        var rows = page.Locator("#audit-table tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0)).ToContainTextAsync("查看档案");
        await Expect(rows.Nth(0)).ToContainTextAsync(operatorUser.Login);
        await Expect(rows.Nth(1)).ToContainTextAsync("新建档案");
        await Expect(page.Locator("#tab-audit")).Not.ToContainTextAsync(phone);
        await page.Locator(".lang-switch").ClickAsync();
        await Expect(CoordinatorDesk.Tab(page, "audit")).ToHaveTextAsync("Audit");
        await Expect(rows.Nth(0)).ToContainTextAsync("Read a file");
        await session.ScreenshotAsync(fullPage: false);
        session.AssertNoScriptErrors();

        await using var desk = await OpenDeskAsync(coordinator);
        await Expect(CoordinatorDesk.Tab(desk.Page, "audit")).ToBeHiddenAsync();
    }

    /// <summary>
    /// A coordinator's desk showing a fresh request in its panel (clicked in the queue), offered to one volunteer
    /// named <paramref name="volunteerName"/> 100 m from it.
    /// </summary>
    private async Task<ShownRequest> ShowRequestAsync(string volunteerName)
    {
        var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        var scene = new Scene(Web);
        var volunteer = await scene.VolunteerAsync(scene.Offset(100, 0), name: volunteerName);
        var id = await scene.RequestAsync(coordinator.Client);
        var session = await OpenDeskAsync(coordinator);
        await CoordinatorDesk.ChooseAsync(session.Page, id);
        return new ShownRequest(coordinator, scene, volunteer, id, session);
    }

    /// <summary>What <see cref="ShowRequestAsync"/> set up; disposing it closes the page and the users' clients.</summary>
    private sealed record ShownRequest(TestUser Coordinator, Scene Scene, TestUser Volunteer, Guid Id, PageSession Session)
        : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Session.DisposeAsync();
            Volunteer.Dispose();
            Coordinator.Dispose();
        }
    }

    private Task<PageSession> OpenDeskAsync(TestUser coordinator, string query = "") =>
        CoordinatorDesk.OpenAsync(browser, Web, coordinator, query);

    private static Task WaitForMarkerAsync(PageSession session, Guid volunteerId, double lat) =>
        DeskMap.WaitForVolunteerMarkerAsync(session.Page, volunteerId, lat);

    /// <summary>Moves the map (the page then asks for the volunteers of the new view).</summary>
    private static Task SetViewAsync(PageSession session, (double Lat, double Lon) center, int zoom) =>
        DeskMap.SetViewAsync(session.Page, center.Lat, center.Lon, zoom);

    private static async Task Ok(Task<(HttpStatusCode Status, JsonNode? Body)> call, string what)
    {
        var (status, body) = await call;
        Assert.True(status == HttpStatusCode.OK, $"{what}: {(int)status} {body}");
    }
}
