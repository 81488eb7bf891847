using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using Outreach.Contracts;
using Outreach.Model;
using Outreach.Tests.Browser.Coordinator;
using Outreach.Tests.Dispatch;
using Outreach.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Outreach.Tests.Browser.Hours;

/// <summary>
/// A coordinator corrects a service record on the desk's hours tab (issue #16): the record of a request completed
/// through the API, corrected with a reason — the volunteer's hours change on the page and in the API, and the record
/// says who corrected it and why; a negative value shows the API's message by the minutes and changes nothing.
/// </summary>
[Category(TestCategory.Browser)]
[Collection(BrowserCollection.Name)]
public sealed class ServiceCorrectionPageTests(SystemFixture system, BrowserFixture browser)
{
    private WebNode Web => system.Web;

    [Fact]
    public async Task Coordinator_CorrectsACompletedRequestsRecord_SeesTheNewTotal_AndANegativeValueChangesNothing()
    {
        var scene = new Scene(Web);
        var name = "更正" + Guid.NewGuid().ToString("N")[..6];
        using var volunteer = await scene.VolunteerAsync(scene.Offset(100, 0), name: name);
        using var hotline = await TestUsers.CreateAsync(Web, "operator");
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        var request = await scene.RequestAsync(hotline.Client);
        var (claim, claimed) = await volunteer.Client.PostAsync($"/api/requests/{request}/claim", null);
        Assert.True(claim == HttpStatusCode.OK, $"claim: {(int)claim} {claimed}");
        foreach (var step in new[] { RequestStatus.EnRoute, RequestStatus.OnSite, RequestStatus.Completed })
        {
            var (status, answer) = await volunteer.Client.PostAsync($"/api/requests/{request}/status", new StatusBody(step));
            Assert.True(status == HttpStatusCode.OK, $"{step}: {(int)status} {answer}");
        }
        // The service took a moment in the test: its record is made an hour long (the request open for two), as if the
        // volunteer had been out that long, so that a correction to 45 minutes shows in the hours.
        await StretchAsync(request);
        var recorded = (await RecordAsync(coordinator.Client, volunteer.VolunteerId!.Value))["recordedMinutes"]!.GetValue<double>();
        Assert.InRange(recorded, 60, 61);

        await using var session = await CoordinatorDesk.OpenAsync(browser, Web, coordinator);
        var page = session.Page;
        await CoordinatorDesk.Tab(page, "hours").ClickAsync();
        var total = page.Locator($"#hours-volunteers tr[data-volunteer-id='{volunteer.VolunteerId}'] td").Nth(2);
        var row = page.Locator($"#hours-records tr[data-request-id='{request}']");
        await Expect(total).ToHaveTextAsync("1");
        await Expect(row).ToContainTextAsync(name);
        await Expect(row.Locator(".hours-correction")).ToHaveTextAsync("");

        // A negative value: the API's 400 names the minutes; its words show there and nothing changes.
        await row.Locator(".hours-correct").ClickAsync();
        var form = page.Locator("#hours-correct-form");
        await Expect(form.Locator("#hc-recorded")).ToContainTextAsync("系统记录：60");
        await page.Locator("#hc-minutes").FillAsync("-5");
        await page.Locator("#hc-reason").FillAsync("打错了");
        var refused = await page.RunAndWaitForResponseAsync(() => page.Locator("#hc-save").ClickAsync(),
            r => r.Url.Contains("/api/service-records/", StringComparison.Ordinal) && r.Request.Method == "PUT");
        Assert.Equal(400, refused.Status);
        var minutesError = form.Locator(".field-error[data-for=minutes]");
        await Expect(minutesError).ToBeVisibleAsync();
        await Expect(minutesError).ToContainTextAsync("cannot be negative");
        await Expect(form).ToBeVisibleAsync();
        await session.ScreenshotAsync($"{nameof(Coordinator_CorrectsACompletedRequestsRecord_SeesTheNewTotal_AndANegativeValueChangesNothing)}-refused");
        Assert.Null((await RecordAsync(coordinator.Client, volunteer.VolunteerId!.Value))["correction"]);
        await Expect(total).ToHaveTextAsync("1");

        // 45 minutes, with a reason: saved, the totals read again, the record says who corrected it and why.
        await page.Locator("#hc-minutes").FillAsync("45");
        await page.Locator("#hc-reason").FillAsync("返程时间不计入");
        await page.Locator("#hc-save").ClickAsync();
        await Expect(page.Locator("#hours-correct-form")).ToHaveCountAsync(0);
        await Expect(total).ToHaveTextAsync("0.75");
        await Expect(row).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bcorrected\b"));
        await Expect(row.Locator(".hours-minutes")).ToContainTextAsync("45");
        await Expect(row.Locator(".hours-minutes")).ToContainTextAsync("原记录 60");
        await Expect(row.Locator(".hours-correction")).ToContainTextAsync("测试coordinator");
        await Expect(row.Locator(".hours-correction")).ToContainTextAsync("返程时间不计入");
        await session.ScreenshotAsync();

        var stored = await RecordAsync(coordinator.Client, volunteer.VolunteerId!.Value);
        Assert.Equal(45, stored["minutes"]!.GetValue<double>());
        Assert.Equal(recorded, stored["recordedMinutes"]!.GetValue<double>());
        Assert.Equal("返程时间不计入", stored["correction"]!["reason"]!.GetValue<string>());
        session.AssertNoScriptErrors("HTTP 400 PUT /api/service-records/");
    }

    /// <summary>Makes the request's record an hour long, opened two hours before completion.</summary>
    private async Task StretchAsync(Guid request)
    {
        await using var database = NpgsqlDataSource.Create(system.System.ConnectionString);
        await using var command = database.CreateCommand("""
            UPDATE outreach_service_records
            SET opened_at = completed_at - interval '2 hours', started_at = completed_at - interval '1 hour',
                minutes = extract(epoch FROM interval '1 hour') / 60
            WHERE request_id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = request });
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    /// <summary>The volunteer's one record, as the coordinators' report lists it.</summary>
    private static async Task<JsonNode> RecordAsync(ApiClient coordinator, Guid volunteerId)
    {
        var (status, report) = await coordinator.GetAsync($"/api/service-records?volunteerId={volunteerId}");
        Assert.True(status == HttpStatusCode.OK, $"report: {(int)status} {report}");
        return Assert.Single(report!["records"]!.AsArray())!;
    }
}
