using Microsoft.Playwright;
using Outreach.Contracts;
using Outreach.Model;
using Outreach.Tests.Browser.Volunteer;
using Outreach.Tests.Dispatch;
using Outreach.Tests.Hours;
using Outreach.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Outreach.Tests.Browser.Hours;

/// <summary>The volunteer's hours on their page, counted again when a service is completed, and the printable certificate.</summary>
[Category(TestCategory.Browser)]
[Collection(BrowserCollection.Name)]
public sealed class ServiceHoursPageTests(SystemFixture system, BrowserFixture browser)
{
    private WebNode Web => system.Web;

    [Fact]
    public async Task VolunteerPage_ShowsHoursAndTotals_CountsACompletion_AndPrintsTheCertificate()
    {
        var scene = new Scene(Web);
        using var volunteer = await scene.VolunteerAsync(scene.Offset(100, 0), name: "王志愿");
        using var hotline = await TestUsers.CreateAsync(Web, "operator");
        var china = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
        var monthStart = new DateTimeOffset(china.Year, china.Month, 1, 0, 0, 0, TimeSpan.FromHours(8));
        // Earlier this month: 90 minutes, corrected to 75.
        await ServiceRecordRows.InsertAsync(system.System.ConnectionString, volunteer.VolunteerId!.Value,
            [new RecordRow(monthStart.AddMinutes(Math.Min(90, (china - monthStart).TotalMinutes / 2)), 90, Corrected: 75)], category: "Meals");
        await using var session = await VolunteerPage.OpenAsync(browser, Web, volunteer, scene.Offset(100, 0));
        var page = session.Page;

        await Expect(page.Locator("#hours-heading")).ToHaveTextAsync("我的服务时长");
        await Expect(page.Locator("#hours-totals dd[data-total=month]")).ToHaveTextAsync("1.25 小时 · 1 次");
        await Expect(page.Locator("#hours-totals dd[data-total=all]")).ToHaveTextAsync("1.25 小时 · 1 次");
        await Expect(page.Locator("#hours-list .hours-record")).ToHaveCountAsync(1);
        await Expect(page.Locator("#hours-list .hours-record").First).ToContainTextAsync("饭盘子 · 1.25 小时");
        await Expect(page.Locator("#hours-list .hours-correction")).ToHaveTextAsync("协调员已更正：测试更正");

        // A service completed while the page is open is counted there without a reload.
        var id = await scene.RequestAsync(hotline.Client);
        await volunteer.Client.PostAsync($"/api/requests/{id}/claim", null);
        foreach (var step in new[] { RequestStatus.EnRoute, RequestStatus.OnSite, RequestStatus.Completed })
            await volunteer.Client.PostAsync($"/api/requests/{id}/status", new StatusBody(step));
        await Expect(page.Locator("#hours-list .hours-record")).ToHaveCountAsync(2);
        await Expect(page.Locator("#hours-totals dd[data-total=all]")).ToContainTextAsync("· 2 次");
        await Expect(page.Locator("#hours-list .hours-record").First).ToContainTextAsync("药箱子");
        await VolunteerPage.ScreenshotAsync(session, "Volunteer-hours");
        session.AssertNoScriptErrors();

        var certificate = await page.Locator("#hours-certificate-month").GetAttributeAsync("href");
        Assert.Matches(@"^/certificate\?from=\d{4}-\d{2}-01&to=\d{4}-\d{2}-\d{2}$", certificate);
        var response = await session.GotoAsync(certificate!);

        Assert.Equal(200, response!.Status);
        Assert.Contains("script-src 'self'", (await response.AllHeadersAsync())["content-security-policy"], StringComparison.Ordinal);
        await Expect(page.Locator("h1")).ToHaveTextAsync("志愿服务证明");
        await Expect(page.Locator("#certificate-name")).ToHaveTextAsync("王志愿");
        await Expect(page.Locator("#certificate-count")).ToHaveTextAsync("2");
        await Expect(page.Locator("#certificate-issuer")).ToHaveTextAsync("中原油田工会");
        await Expect(page.Locator("#certificate-records tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#print")).ToBeVisibleAsync();
        await session.ScreenshotAsync("Certificate");
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        await Expect(page.Locator("#print")).ToBeHiddenAsync();
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Certificate_OfAnotherVolunteer_IsRefusedToAVolunteer_AndOpenToCoordinators()
    {
        using var volunteer = await TestUsers.CreateAsync(Web, "volunteer");
        using var other = await TestUsers.CreateAsync(Web, "volunteer");
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        using var hotline = await TestUsers.CreateAsync(Web, "operator");

        using var own = await volunteer.Client.Http.GetAsync($"/certificate?volunteerId={volunteer.VolunteerId}");
        using var theirs = await volunteer.Client.Http.GetAsync($"/certificate?volunteerId={other.VolunteerId}");
        using var byCoordinator = await coordinator.Client.Http.GetAsync($"/certificate?volunteerId={other.VolunteerId}&from=2026-01-01&to=2026-01-31");
        using var byOperator = await hotline.Client.Http.GetAsync($"/certificate?volunteerId={other.VolunteerId}");
        using var badDate = await coordinator.Client.Http.GetAsync($"/certificate?volunteerId={other.VolunteerId}&from=2026-02-30");
        using var nobody = await coordinator.Client.Http.GetAsync("/certificate");

        Assert.Equal(System.Net.HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, theirs.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, byCoordinator.StatusCode);
        Assert.Contains("2026年1月1日至2026年1月31日", await byCoordinator.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, byOperator.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badDate.StatusCode);
        Assert.Contains("\"from\"", await badDate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, nobody.StatusCode);
    }
}
