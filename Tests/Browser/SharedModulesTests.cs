using Microsoft.Playwright;
using Outreach.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Outreach.Tests.Browser;

/// <summary>
/// The shared front-end modules in a real browser: error texts, dom, the live connection, the map. (The
/// translation tables' key parity is a node test: Web/test/i18n.test.js.)
/// </summary>
[Collection(BrowserCollection.Name)]
[Category(TestCategory.Browser)]
public sealed class SharedModulesTests(SystemFixture system, BrowserFixture browser)
{
    private WebNode Web => system.Web;

    [Theory]
    [InlineData("zh-CN", "请检查填写的内容：电话、技能、Kits[0].Whatever")]
    [InlineData("en", "Please check what you entered: phone, skills, Kits[0].Whatever")]
    public async Task ErrorText_ForFieldErrors_NamesTheFieldsInThePagesLanguage(string lang, string expected)
    {
        await using var session = await PageSession.OpenAsync(browser, Web);
        await session.GotoAsync("/login?lang=" + lang);

        var text = await session.Page.EvaluateAsync<string>(@"async () => {
            const { ApiError, errorText } = await import('/js/api.js');
            return errorText(new ApiError(400, {
                title: 'One or more validation errors occurred.',
                detail: 'Phone: The Phone field is not a valid phone number.',
                errors: { Phone: ['not a phone'], 'Skills[0]': ['unknown'], 'Kits[0].Whatever': ['?'] },
            }));
        }");

        Assert.Equal(expected, text);
    }

    [Fact]
    public async Task El_WithMarkupInText_ShowsItAsText()
    {
        await using var session = await PageSession.OpenAsync(browser, Web);
        await session.GotoAsync("/login");

        var result = await session.Page.EvaluateAsync<string[]>(@"async () => {
            const { el } = await import('/js/dom.js');
            const node = el('p', { id: 'note', class: 'notice' }, '<script>window.pwned = 1</script><b>x</b>');
            document.querySelector('main').append(node);
            let rejected = 'no';
            try { el('a', { href: 'javascript:alert(1)' }); } catch { rejected = 'yes'; }
            return [node.textContent, String(node.children.length), rejected];
        }");

        Assert.Equal(["<script>window.pwned = 1</script><b>x</b>", "0", "yes"], result);
        await Expect(session.Page.Locator("#note")).ToHaveTextAsync("<script>window.pwned = 1</script><b>x</b>");
        await session.ScreenshotAsync();
    }

    [Fact]
    public async Task LiveAndMap_ForASignedInUser_ConnectAndDrawWithoutTiles()
    {
        using var user = await TestUsers.CreateAsync(Web, "coordinator");
        await using var session = await PageSession.OpenAsync(browser, Web);
        await session.SignInAsync(user.Login, TestUsers.Password);
        await session.GotoAsync("/login");
        await session.Page.AddStyleTagAsync(new() { Url = "/lib/leaflet/leaflet.css" });
        await session.Page.AddScriptTagAsync(new() { Url = "/lib/leaflet/leaflet.js" });
        await session.Page.AddScriptTagAsync(new() { Url = "/lib/signalr/signalr.min.js" });

        var states = await session.Page.EvaluateAsync<string[]>(@"async () => {
            const { connectLive } = await import('/js/live.js');
            const { createMap, dotMarker } = await import('/js/map.js');
            const states = [];
            let resyncs = 0;
            const live = connectLive({ onState: s => states.push(s), onResync: async () => { resyncs++; } });
            await live.started;
            const box = document.createElement('div');
            box.id = 'map';
            box.style.height = '300px';
            document.querySelector('main').append(box);
            const map = await createMap(box);
            dotMarker([35.7674, 115.0258], { color: '#c8102e', title: 'x' }).addTo(map);
            return [...states, 'resyncs=' + resyncs];
        }");

        Assert.Equal(["connecting", "connected", "resyncs=1"], states);
        await Expect(session.Page.Locator("#map.map-no-tiles")).ToBeVisibleAsync();
        await Expect(session.Page.Locator("#map path.leaflet-interactive")).ToHaveCountAsync(1);
        await Expect(session.Page.Locator("#map .leaflet-tile")).ToHaveCountAsync(0);
        await session.ScreenshotAsync();
        session.AssertNoScriptErrors();
    }
}
