using Outreach.Contracts;
using Outreach.Tests.Dispatch;
using Outreach.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Outreach.Tests.Browser.Volunteer;

/// <summary>The volunteer's page lists the families paired with them (一对一结对), by name, without phone or address.</summary>
[Category(TestCategory.Browser)]
[Collection(BrowserCollection.Name)]
public sealed class VolunteerPairedFamiliesTests(SystemFixture system, BrowserFixture browser)
{
    [Fact]
    public async Task PairedVolunteer_SeesTheirFamilyByName_AndAnotherSeesNoSection()
    {
        var web = system.Web;
        var scene = new Scene(web);
        using var paired = await scene.VolunteerAsync(at: null, onDuty: false);
        using var other = await scene.VolunteerAsync(at: null, onDuty: false);
        using var coordinator = await TestUsers.CreateAsync(web, "coordinator");
        var (status, _) = await coordinator.Client.PostAsync("/api/workers", new FamilyFileRequest(
            "陈卫东",
            "13803937777",
            "中原油田 哈法亚项目",
            Addresses: [new FamilyAddressDto("家", "华龙区 胜利路 8号院 301", new PositionDto(35.7621, 115.0302))],
            PairedVolunteerIds: [paired.VolunteerId!.Value]));
        Assert.Equal(System.Net.HttpStatusCode.Created, status);

        await using var page = await VolunteerPage.OpenAsync(browser, web, paired, scene.Offset(100, 0));
        await using var otherPage = await VolunteerPage.OpenAsync(browser, web, other, scene.Offset(100, 0));

        var section = page.Page.Locator("#paired");
        await Expect(section).ToBeVisibleAsync();
        await Expect(section.Locator("h2")).ToHaveTextAsync("我的结对家庭");
        await Expect(section.Locator("#paired-list li")).ToHaveTextAsync("陈卫东 · 中原油田 哈法亚项目");
        await Expect(section).Not.ToContainTextAsync("13803937777");
        await Expect(section).Not.ToContainTextAsync("胜利路");
        await Expect(otherPage.Page.Locator("#offers")).ToBeVisibleAsync();
        await Expect(otherPage.Page.Locator("#paired")).ToBeHiddenAsync();
        await VolunteerPage.ScreenshotAsync(page, "Volunteer-paired-families");
    }
}
