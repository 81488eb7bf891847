using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Outreach.Contracts;
using Outreach.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Outreach.Tests.Browser.Operator;

/// <summary>Helpers for the operator console tests: fresh phone numbers, family files through the API, the page.</summary>
internal static class OperatorConsole
{
    /// <summary>A mainland mobile number no other test uses (138 + 8 random digits).</summary>
    public static string NewMobile() => "138" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);

    /// <summary>"13812345678" as "138 1234 5678".</summary>
    public static string Spaced(string mobile) => $"{mobile[..3]} {mobile[3..7]} {mobile[7..]}";

    /// <summary>"13812345678" as "+86-138-1234-5678".</summary>
    public static string International(string mobile) => $"+86-{mobile[..3]}-{mobile[3..7]}-{mobile[7..]}";

    /// <summary>Creates a family file with one member and a home address at <paramref name="home"/>; answers the file.</summary>
    public static async Task<JsonNode> CreateFileAsync(ApiClient client, string workerName, string workerPhone, (double Lat, double Lon) home,
        string? memberPhone = null)
    {
        var (status, body) = await client.PostAsync("/api/workers", new FamilyFileRequest(
            workerName,
            workerPhone,
            "中原油田 伊拉克哈法亚项目",
            [new FamilyMemberDto("刘芳", "妻子", memberPhone ?? NewMobile(), "腰不好，不能提重物")],
            [new FamilyAddressDto("家", "华龙区 中原路 2号院 5号楼 2单元 301", new PositionDto(home.Lat, home.Lon))],
            "老人有高血压"));
        Assert.True(status == HttpStatusCode.Created, $"creating a file: {(int)status} {body}");
        return body!;
    }

    /// <summary>Signs the operator in and opens the console, connected to the hub.</summary>
    public static async Task<PageSession> OpenAsync(BrowserFixture browser, WebNode web, TestUser user)
    {
        var session = await PageSession.OpenAsync(browser, web, new PageSessionOptions { Width = 1440, Height = 900 });
        await session.SignInAsync(user.Login, TestUsers.Password);
        await session.GotoAsync("/operator");
        await Expect(session.Page.Locator("body[data-ready=true]")).ToBeVisibleAsync();
        await Expect(session.Page.Locator(".conn-badge[data-state=connected]")).ToBeVisibleAsync();
        return session;
    }

    /// <summary>Types a number in the lookup box, presses Enter and waits for the answer.</summary>
    public static async Task FindAsync(PageSession session, string typed)
    {
        await session.Page.Locator("#lookup-phone").FillAsync(typed);
        await session.Page.RunAndWaitForResponseAsync(
            () => session.Page.Locator("#lookup-phone").PressAsync("Enter"),
            response => response.Url.EndsWith("/api/workers/lookup", StringComparison.Ordinal));
    }

    /// <summary>Picks a category and an urgency in the intake form and types a description.</summary>
    public static async Task FillRequestAsync(IPage page, string category, string urgency, string description)
    {
        await page.Locator($".op-choices-category label[data-value={category}]").ClickAsync();
        await page.Locator($".op-choices-urgency label[data-value={urgency}]").ClickAsync();
        await page.Locator("#intake-description").FillAsync(description);
    }

    /// <summary>This operator's requests according to the API (<c>mine=true</c>).</summary>
    public static async Task<JsonArray> MineAsync(ApiClient client)
    {
        var (status, body) = await client.GetAsync("/api/requests?status=all&mine=true");
        Assert.Equal(HttpStatusCode.OK, status);
        return body!.AsArray();
    }
}
