using System.Net;
using Outreach.Contracts;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Security;

/// <summary>A system of its own: these tests change the bootstrap administrator and restart web nodes.</summary>
public sealed class BootstrapAdminSystem : IAsyncLifetime
{
    private OutreachSystem? _system;

    public OutreachSystem System => _system ?? throw new InvalidOperationException("The system is not started.");

    public async Task InitializeAsync() => _system = await OutreachSystem.StartAsync("bootstrap");

    public async Task DisposeAsync()
    {
        if (_system is not null)
            await _system.DisposeAsync();
    }
}

/// <summary>
/// The bootstrap administrator is created once and never reset by a restart; outside Development a web node with a
/// default or weak bootstrap password refuses to start.
/// </summary>
[Category(TestCategory.System)]
public sealed class BootstrapAdminTests(BootstrapAdminSystem fixture) : IClassFixture<BootstrapAdminSystem>
{
    private static readonly TimeSpan ExitPatience = TimeSpan.FromSeconds(60);

    private OutreachSystem System => fixture.System;

    [Fact]
    public async Task PasswordChangeAndDisable_SurviveRestartsOfTheWebNode()
    {
        const string newPassword = "a-new-passphrase-for-7";
        using var other = await TestUsers.CreateAsync(System.Web, "admin");
        using (var admin = await System.Web.AdminAsync())
        {
            var (set, body) = await admin.PostAsync($"/api/accounts/{OutreachSystem.AdminLogin}/password", new SetPasswordRequest(newPassword));
            Assert.True(set == HttpStatusCode.OK || set == HttpStatusCode.NoContent, $"set password: {(int)set} {body}");
        }

        var web = await RestartAsync(System.Web);

        Assert.Equal(HttpStatusCode.OK, await LoginStatusAsync(web, newPassword));
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginStatusAsync(web, OutreachSystem.AdminPassword));

        // A second administrator disables the bootstrap one; a restart must not enable it again.
        using var otherAdmin = await web.LoginAsync(other.Login, TestUsers.Password);
        var (disabled, problem) = await otherAdmin.PostAsync($"/api/accounts/{OutreachSystem.AdminLogin}/disable", null);
        Assert.True(disabled == HttpStatusCode.OK, $"disable: {(int)disabled} {problem}");

        web = await RestartAsync(web);

        Assert.Equal(HttpStatusCode.Forbidden, await LoginStatusAsync(web, newPassword));
    }

    [Theory]
    [InlineData("outreach-admin")]
    [InlineData("short-pw")]
    public async Task WebNode_InProductionWithAWeakBootstrapPassword_ExitsWithOneLine(string password)
    {
        var (process, _) = System.StartWebProcess("web-weak", new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Outreach__BootstrapAdmin__Login"] = "weak-admin",
            ["Outreach__BootstrapAdmin__Password"] = password,
        });

        var exitCode = await process.WaitForExitAsync(ExitPatience);

        Assert.NotEqual(0, exitCode);
        Assert.True(process.Printed("Refusing to start: the bootstrap administrator's password"), process.Tail());
        Assert.False(process.Printed("Unhandled exception"), process.Tail());
    }

    [Fact]
    public async Task WebNode_InDevelopmentWithTheDemoPassword_Starts()
    {
        var (process, url) = System.StartWebProcess("web-demo", new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["Outreach__BootstrapAdmin__Login"] = "demo-admin",
            ["Outreach__BootstrapAdmin__Password"] = "outreach-admin",
        });

        await OutreachSystem.WaitUntilReadyAsync(process, new Uri(url, "/readyz"));

        using var client = new ApiClient(url);
        await client.LoginAsync("demo-admin", "outreach-admin");
    }

    private async Task<WebNode> RestartAsync(WebNode web)
    {
        await web.Process.StopAsync(TimeSpan.FromSeconds(30));
        return await System.RestartWebAsync(web);
    }

    private static async Task<HttpStatusCode> LoginStatusAsync(WebNode web, string password)
    {
        using var client = web.Anonymous();
        var (status, _) = await client.PostAsync("/api/auth/login", new LoginRequest(OutreachSystem.AdminLogin, password));
        return status;
    }
}
