using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using Outreach.Contracts;
using Outreach.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Outreach.Tests.Browser;

/// <summary>The login page, the landing redirect, role pages' access rules and the shared front-end files.</summary>
[Collection(BrowserCollection.Name)]
[Category(TestCategory.Browser)]
public sealed class LoginPageTests(SystemFixture system, BrowserFixture browser)
{
    private WebNode Web => system.Web;

    [Fact]
    public async Task LoginPage_ByDefault_IsInChinese()
    {
        await using var session = await PageSession.OpenAsync(browser, Web, PageSessionOptions.Phone);
        var response = await session.GotoAsync("/login");

        Assert.Equal(200, response!.Status);
        await Expect(session.Page.Locator("h1")).ToHaveTextAsync("15分钟服务圈");
        await Expect(session.Page.Locator("#login-submit")).ToHaveTextAsync("登录");
        await Expect(session.Page.Locator("label[for=password]")).ToHaveTextAsync("密码");
        Assert.Equal("zh-CN", await session.Page.GetAttributeAsync("html", "lang"));
        await session.ScreenshotAsync();
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task LoginPage_WithLangEn_IsInEnglishAndTheChoiceIsRemembered()
    {
        await using var session = await PageSession.OpenAsync(browser, Web);
        await session.GotoAsync("/login?lang=en");
        await Expect(session.Page.Locator("h1")).ToHaveTextAsync("15-Minute Service Circle");
        await Expect(session.Page.Locator("#login-submit")).ToHaveTextAsync("Log in");

        await session.GotoAsync("/login");
        await Expect(session.Page.Locator("h1")).ToHaveTextAsync("15-Minute Service Circle");
        await session.ScreenshotAsync();

        // The in-page switch goes back to Chinese, at once and on the next load.
        await session.Page.Locator(".lang-switch").ClickAsync();
        await Expect(session.Page.Locator("h1")).ToHaveTextAsync("15分钟服务圈");
        await Expect(session.Page.Locator("#login")).ToHaveAttributeAsync("placeholder", "请输入用户名");
        await session.Page.ReloadAsync();
        await Expect(session.Page.Locator("#login-submit")).ToHaveTextAsync("登录");
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Login_WithWrongPassword_ShowsTheErrorAndStaysOnLogin()
    {
        await using var session = await PageSession.OpenAsync(browser, Web);
        await session.GotoAsync("/login");
        await session.Page.Locator("#login").FillAsync(OutreachSystem.AdminLogin);
        await session.Page.Locator("#password").FillAsync("not-the-password");
        await session.Page.Locator("#login-submit").ClickAsync();

        await Expect(session.Page.Locator("#login-error")).ToBeVisibleAsync();
        await Expect(session.Page.Locator("#login-error")).ToHaveTextAsync("用户名或密码错误");
        Assert.StartsWith("/login", session.CurrentPath, StringComparison.Ordinal);
        await session.ScreenshotAsync();
        session.AssertNoScriptErrors("HTTP 401 POST /api/auth/login");
    }

    [Fact]
    public async Task Login_AfterTooManyWrongPasswords_SaysHowLongToWait()
    {
        using var user = await TestUsers.CreateAsync(Web, "operator");
        using (var guesser = Web.Anonymous())
        {
            for (var i = 0; i < 5; i++)
                await guesser.PostAsync("/api/auth/login", new LoginRequest(user.Login, "guess-" + i));
        }
        await using var session = await PageSession.OpenAsync(browser, Web);
        await session.GotoAsync("/login");
        await session.Page.Locator("#login").FillAsync(user.Login);
        await session.Page.Locator("#password").FillAsync(TestUsers.Password);
        await session.Page.Locator("#login-submit").ClickAsync();

        await Expect(session.Page.Locator("#login-error")).ToHaveTextAsync(
            new System.Text.RegularExpressions.Regex(@"^密码错误次数过多，请 ([1-9]|[1-5][0-9]) 秒后再试$"));
        Assert.StartsWith("/login", session.CurrentPath, StringComparison.Ordinal);
        await session.ScreenshotAsync();
        session.AssertNoScriptErrors("HTTP 429 POST /api/auth/login");
    }

    [Theory]
    [InlineData("volunteer", "/volunteer")]
    [InlineData("operator", "/operator")]
    [InlineData("coordinator", "/coordinator")]
    [InlineData("admin", "/coordinator")]
    public async Task Login_AsRole_LandsOnThePageOfTheRole(string role, string expectedPath)
    {
        using var user = await TestUsers.CreateAsync(Web, role);
        await using var session = await PageSession.OpenAsync(browser, Web);

        await session.LoginAsync(user.Login, TestUsers.Password);

        await session.WaitForPathAsync(expectedPath);
        await session.ScreenshotAsync($"{nameof(Login_AsRole_LandsOnThePageOfTheRole)}-{role}");
    }

    [Fact]
    public async Task RolePage_WhenAnonymous_RedirectsToLoginAndBackAfterLogin()
    {
        using var user = await TestUsers.CreateAsync(Web, "operator");
        await using var session = await PageSession.OpenAsync(browser, Web);

        await session.GotoAsync("/operator?call=1");
        await session.WaitForPathAsync("/login");
        Assert.Contains("returnurl=%2Foperator", session.CurrentPath, StringComparison.OrdinalIgnoreCase);
        await session.ScreenshotAsync();

        await session.Page.Locator("#login").FillAsync(user.Login);
        await session.Page.Locator("#password").FillAsync(TestUsers.Password);
        await session.Page.Locator("#login-submit").ClickAsync();
        await session.Page.WaitForURLAsync("**/operator?call=1");
    }

    [Fact]
    public async Task Login_WithReturnUrlToAnotherHost_GoesToThePageOfTheRole()
    {
        using var user = await TestUsers.CreateAsync(Web, "operator");
        await using var session = await PageSession.OpenAsync(browser, Web);

        await session.LoginAsync(user.Login, TestUsers.Password, "/login?returnUrl=%2F%2Fexample.org%2Fphish");

        await session.WaitForPathAsync("/operator");
        Assert.Equal(Web.Url.Authority, new Uri(session.Page.Url).Authority);
        await session.ScreenshotAsync();
    }

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("/%5Cevil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example")]
    [InlineData("/%2509/evil.example")]
    public async Task Login_WithReturnUrlThatLeavesTheSite_GoesToThePageOfTheRole(string returnUrl)
    {
        using var user = await TestUsers.CreateAsync(Web, "operator");
        await using var session = await PageSession.OpenAsync(browser, Web);

        await session.LoginAsync(user.Login, TestUsers.Password, "/login?returnUrl=" + returnUrl);

        await session.WaitForPathAsync("/operator");
        Assert.Equal(Web.Url.Authority, new Uri(session.Page.Url).Authority);
    }

    [Theory]
    [InlineData("/%09/evil.example")]
    [InlineData("/%0A/evil.example")]
    public async Task LoginPage_WithAControlCharacterInReturnUrl_IsRefused(string returnUrl)
    {
        using var http = new HttpClient { BaseAddress = Web.Url };

        using var response = await http.GetAsync("/login?returnUrl=" + returnUrl);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    /// <summary>
    /// The page's own rule, for what the server does not refuse first: a tab or line break the browser drops
    /// ("/\t/evil.example" is "//evil.example"), a backslash it reads as "/", another origin.
    /// </summary>
    [Fact]
    public async Task ReturnUrl_ResolvesOnlyToAPathOnThisSite()
    {
        await using var session = await PageSession.OpenAsync(browser, Web);
        await session.GotoAsync("/login");

        var results = await session.Page.EvaluateAsync<string[]>(@"async () => {
            const { returnUrl } = await import('/js/login.js');
            const cases = ['/\t/evil.example', '/\n/evil.example', '/\r/evil.example', '//evil.example', '/\\evil.example',
                           'https://evil.example', 'javascript:alert(1)', '/login?x=1', '', '/%09/evil.example', '/%2F%2Fevil.example',
                           '/operator?call=1#top'];
            return cases.map(c => returnUrl('?returnUrl=' + encodeURIComponent(c)));
        }");

        Assert.Equal(["/", "/", "/", "/", "/", "/", "/", "/", "/", "/", "/", "/operator?call=1#top"], results);
    }

    [Fact]
    public async Task RolePage_WithAnotherRole_ShowsTheForbiddenPage()
    {
        using var user = await TestUsers.CreateAsync(Web, "volunteer");
        await using var session = await PageSession.OpenAsync(browser, Web);
        await session.SignInAsync(user.Login, TestUsers.Password);

        var response = await session.GotoAsync("/coordinator");

        Assert.Equal(403, response!.Status);
        await Expect(session.Page.Locator("h1")).ToHaveTextAsync("无权访问此页面");
        await Expect(session.Page.Locator(".user-name")).ToHaveTextAsync("测试volunteer");
        await Expect(session.Page.Locator("a[href='/']")).ToBeVisibleAsync();
        await session.ScreenshotAsync();
        session.AssertNoScriptErrors("HTTP 403 GET /coordinator");

        // Logout from the header ends the session: the landing page then goes to the login page.
        await session.Page.Locator(".app-header button[data-i18n='auth.logout']").ClickAsync();
        await session.WaitForPathAsync("/login");
        await session.GotoAsync("/");
        await session.WaitForPathAsync("/login");
    }

    [Fact]
    public async Task Root_WhenAnonymous_RedirectsToLogin()
    {
        await using var session = await PageSession.OpenAsync(browser, Web);

        await session.GotoAsync("/");

        Assert.Equal("/login", session.CurrentPath);
        await Expect(session.Page.Locator("#login-form")).ToBeVisibleAsync();
        await session.ScreenshotAsync();
    }

    [Theory]
    [InlineData("/lib/leaflet/leaflet.js")]
    [InlineData("/lib/leaflet/leaflet.css")]
    [InlineData("/lib/leaflet/images/marker-icon.png")]
    [InlineData("/lib/leaflet.markercluster/leaflet.markercluster.js")]
    [InlineData("/lib/leaflet.markercluster/MarkerCluster.Default.css")]
    [InlineData("/lib/signalr/signalr.min.js")]
    [InlineData("/js/i18n.js")]
    [InlineData("/css/app.css")]
    public async Task StaticFile_IsServedToAnyone(string path)
    {
        using var http = new HttpClient { BaseAddress = Web.Url };
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await using var session = await PageSession.OpenAsync(browser, Web);
        var page = await session.GotoAsync(path);
        Assert.Equal(200, page!.Status);
        await session.ScreenshotAsync($"{nameof(StaticFile_IsServedToAnyone)}-{Path.GetFileName(path)}", fullPage: false);
    }

    [Fact]
    public async Task HtmlFiles_AreServedOnlyThroughTheirRoutes()
    {
        using var http = new HttpClient { BaseAddress = Web.Url };
        using var direct = await http.GetAsync("/login.html");
        Assert.Equal(HttpStatusCode.NotFound, direct.StatusCode);

        await using var session = await PageSession.OpenAsync(browser, Web);
        await session.GotoAsync("/forbidden.html");
        await session.ScreenshotAsync();
    }

    [Fact]
    public async Task Config_WithoutTileUrl_AnswersEmptyTileSettings()
    {
        using var http = new HttpClient { BaseAddress = Web.Url };
        var body = await http.GetStringAsync("/api/config");
        using var json = JsonDocument.Parse(body);
        Assert.Equal("", json.RootElement.GetProperty("tileUrl").GetString());
        Assert.Equal("", json.RootElement.GetProperty("tileAttribution").GetString());

        await using var session = await PageSession.OpenAsync(browser, Web);
        await session.GotoAsync("/api/config");
        await session.ScreenshotAsync();
    }
}
