using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Outreach.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Outreach.Tests.Browser.Operator.OperatorConsole;

namespace Outreach.Tests.Browser.Operator;

/// <summary>
/// Choosing volunteers by name on the operator console (issue #16): a family's paired helpers in the file editor and a
/// care plan's preferred helper, each found by typing part of a name (GET /api/volunteers/picker), stored as ids (checked
/// in the API) and shown by name again; a name nobody has says so.
/// </summary>
[Collection(BrowserCollection.Name)]
[Category(TestCategory.Browser)]
public sealed class VolunteerPickerPageTests(SystemFixture system, BrowserFixture browser)
{
    private static readonly (double Lat, double Lon) Home = (35.7618, 115.0297);

    private WebNode Web => system.Web;

    [Fact]
    public async Task FileEditor_PairsAVolunteerFoundByName_StoresTheId_ShowsTheName_AndUnpairs()
    {
        var tag = Tag();
        using var operatorUser = await TestUsers.CreateAsync(Web, "operator");
        var volunteerId = await VolunteerAsync($"结对{tag}");
        var (fileId, name) = await FamilyAsync(operatorUser.Client);
        await using var session = await OpenAsync(browser, Web, operatorUser);
        var page = session.Page;
        await OpenFileAsync(page, fileId, name);

        await page.Locator("#files-edit").ClickAsync();
        var picker = page.Locator("#file-editor .op-picker[data-field=pairedVolunteerIds]");
        await Expect(picker.Locator(".op-picker-empty")).ToHaveTextAsync("未选择");

        // A name nobody has: the picker says so and chooses nothing.
        await page.Locator("#fe-paired").FillAsync("无此人" + Tag());
        await Expect(picker.Locator(".op-picker-nomatch")).ToHaveTextAsync("没有找到这个名字的志愿者");
        await Expect(picker.Locator(".op-picker-chip")).ToHaveCountAsync(0);

        // Part of the name finds the volunteer; a click makes a chip with the name.
        await page.Locator("#fe-paired").FillAsync(tag);
        var option = picker.Locator($".op-picker-option[data-id='{volunteerId}']");
        await Expect(option).ToContainTextAsync($"结对{tag}");
        await option.ClickAsync();
        await Expect(picker.Locator($".op-picker-chip[data-id='{volunteerId}']")).ToContainTextAsync($"结对{tag}");
        await Expect(picker.Locator(".op-picker-results")).ToBeHiddenAsync();
        await session.ScreenshotAsync();
        await page.Locator("#fe-save").ClickAsync();
        await Expect(page.Locator("#file-editor")).ToBeHiddenAsync();

        Assert.Equal([volunteerId], await PairedAsync(operatorUser.Client, fileId));
        await Expect(page.Locator("#files-card #file-paired")).ToHaveTextAsync($"结对{tag}");

        // Opened again, the paired helper shows by name; removing the chip and saving clears the pairing.
        await page.Locator("#files-edit").ClickAsync();
        await Expect(picker).ToHaveAttributeAsync("data-named", "true");
        var chip = picker.Locator($".op-picker-chip[data-id='{volunteerId}']");
        await Expect(chip).ToContainTextAsync($"结对{tag}");
        await chip.Locator(".op-picker-remove").ClickAsync();
        await Expect(picker.Locator(".op-picker-chip")).ToHaveCountAsync(0);
        await page.Locator("#fe-save").ClickAsync();
        await Expect(page.Locator("#file-editor")).ToBeHiddenAsync();
        Assert.Empty(await PairedAsync(operatorUser.Client, fileId));
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task PlanEditor_PreferredHelperChosenByName_IsStored_ShownByName_AndReplacedByAnotherPick()
    {
        var tag = Tag();
        using var operatorUser = await TestUsers.CreateAsync(Web, "operator");
        var first = await VolunteerAsync($"首选{tag}一");
        var second = await VolunteerAsync($"首选{tag}二");
        var (fileId, name) = await FamilyAsync(operatorUser.Client);
        await using var session = await OpenAsync(browser, Web, operatorUser);
        var page = session.Page;
        await OpenFileAsync(page, fileId, name);

        await page.Locator("#care-add").ClickAsync();
        await page.Locator("input[name=ce-day][value=Thu]").CheckAsync();
        await page.Locator("#ce-from").FillAsync("14:00");
        await page.Locator("#ce-to").FillAsync("15:00");
        var picker = page.Locator("#care-editor .op-picker[data-field=preferredVolunteerId]");
        await page.Locator("#ce-preferred").FillAsync($"首选{tag}");
        await Expect(picker.Locator(".op-picker-option")).ToHaveCountAsync(2);
        // Enter takes the first match (一 sorts before 二) without submitting the plan.
        await page.Locator("#ce-preferred").PressAsync("Enter");
        await Expect(picker.Locator($".op-picker-chip[data-id='{first}']")).ToContainTextAsync($"首选{tag}一");
        await Expect(page.Locator("#care-editor")).ToBeVisibleAsync();
        await page.Locator("#ce-save").ClickAsync();
        await Expect(page.Locator("#care-editor")).ToBeHiddenAsync();

        var plan = Assert.Single(await PlansAsync(operatorUser.Client, fileId))!;
        Assert.Equal(first, plan["preferredVolunteerId"]!.GetValue<Guid>());
        var item = page.Locator("#care-list li.op-care-plan");
        await Expect(item.Locator(".op-care-preferred")).ToHaveTextAsync($"首选志愿者：首选{tag}一");

        // Editing: the chosen helper shows by name; picking another replaces them (a plan has one).
        await item.Locator(".op-care-edit").ClickAsync();
        await Expect(picker).ToHaveAttributeAsync("data-named", "true");
        await Expect(picker.Locator($".op-picker-chip[data-id='{first}']")).ToContainTextAsync($"首选{tag}一");
        await page.Locator("#ce-preferred").FillAsync($"{tag}二");
        await picker.Locator($".op-picker-option[data-id='{second}']").ClickAsync();
        await Expect(picker.Locator(".op-picker-chip")).ToHaveCountAsync(1);
        await Expect(picker.Locator($".op-picker-chip[data-id='{second}']")).ToContainTextAsync($"首选{tag}二");
        await session.ScreenshotAsync();
        await page.Locator("#ce-save").ClickAsync();
        await Expect(page.Locator("#care-editor")).ToBeHiddenAsync();

        plan = Assert.Single(await PlansAsync(operatorUser.Client, fileId))!;
        Assert.Equal(second, plan["preferredVolunteerId"]!.GetValue<Guid>());
        await Expect(item.Locator(".op-care-preferred")).ToHaveTextAsync($"首选志愿者：首选{tag}二");
        session.AssertNoScriptErrors();
    }

    private static string Tag() => Guid.NewGuid().ToString("N")[..6];

    private async Task<Guid> VolunteerAsync(string name)
    {
        using var admin = await Web.AdminAsync();
        var (status, body) = await admin.PostAsync("/api/volunteers", new
        {
            name,
            phone = "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture),
            skills = new[] { "Groceries" },
            travelMode = "Bike",
        });
        Assert.True(status == HttpStatusCode.Created, $"creating a volunteer: {(int)status} {body}");
        return body!["id"]!.GetValue<Guid>();
    }

    private static async Task<(string Id, string Name)> FamilyAsync(ApiClient client)
    {
        var name = "结对户" + Guid.NewGuid().ToString("N")[..6];
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

    private static async Task<Guid[]> PairedAsync(ApiClient client, string fileId)
    {
        var (status, body) = await client.GetAsync($"/api/workers/{fileId}");
        Assert.True(status == HttpStatusCode.OK, $"reading the file: {(int)status} {body}");
        return [.. body!["pairedVolunteerIds"]!.AsArray().Select(v => v!.GetValue<Guid>())];
    }

    private static async Task<JsonArray> PlansAsync(ApiClient client, string fileId)
    {
        var (status, body) = await client.GetAsync($"/api/workers/{fileId}/care-plans");
        Assert.True(status == HttpStatusCode.OK, $"listing plans: {(int)status} {body}");
        return body!.AsArray();
    }
}
