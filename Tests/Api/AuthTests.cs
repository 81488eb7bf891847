using System.Net;
using Npgsql;
using Outreach.Contracts;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Api;

[Collection(SystemCollection.Name)]
[Category(TestCategory.System)]
public sealed class AuthTests(SystemFixture fixture)
{
    [Theory]
    [InlineData("operator")]
    [InlineData("coordinator")]
    [InlineData("volunteer")]
    [InlineData("admin")]
    public async Task Login_EachRole_ReturnsItsIdentityAndMeAgrees(string role)
    {
        using var user = await TestUsers.CreateAsync(fixture.Web, role);

        var (status, me) = await user.Client.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(user.Login, me!["login"]!.GetValue<string>());
        Assert.Equal(user.AccountId, me["id"]!.GetValue<Guid>());
        Assert.Equal([role], me["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(role == "volunteer", me["volunteerId"] is not null);
    }

    [Fact]
    public async Task Login_WrongPassword_Returns401WithProblem()
    {
        using var client = fixture.Web.Anonymous();

        var (status, body) = await client.PostAsync("/api/auth/login", new LoginRequest(OutreachSystem.AdminLogin, "not-the-password"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Wrong login or password.", body!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task DisabledAccount_EndsItsSession_CannotSignIn_AndIsBackOnceEnabled()
    {
        using var user = await TestUsers.CreateAsync(fixture.Web, "operator");
        using var admin = await fixture.Web.AdminAsync();
        var (before, _) = await user.Client.GetAsync("/api/me");

        var (disable, disabled) = await admin.PostAsync($"/api/accounts/{user.Login}/disable", null);
        var (afterDisable, _) = await user.Client.GetAsync("/api/workers");
        using var fresh = fixture.Web.Anonymous();
        var (signIn, refusal) = await fresh.PostAsync("/api/auth/login", new LoginRequest(user.Login, TestUsers.Password));
        var (enable, enabled) = await admin.PostAsync($"/api/accounts/{user.Login}/enable", null);
        var (signInAgain, _) = await fresh.PostAsync("/api/auth/login", new LoginRequest(user.Login, TestUsers.Password));
        var (meAgain, _) = await fresh.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.OK, before);
        Assert.Equal(HttpStatusCode.OK, disable);
        Assert.True(disabled!["disabled"]!.GetValue<bool>());
        Assert.Null(disabled["passwordHash"]);
        Assert.Equal(HttpStatusCode.Unauthorized, afterDisable);
        Assert.Equal(HttpStatusCode.Forbidden, signIn);
        Assert.Equal("Account disabled.", refusal!["title"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, enable);
        Assert.False(enabled!["disabled"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, signInAgain);
        Assert.Equal(HttpStatusCode.OK, meAgain);
    }

    [Fact]
    public async Task Disable_WhenTheDirectoryWriteFails_EndsTheSessionAnyway_AndTheRetryListsItDisabled()
    {
        using var user = await TestUsers.CreateAsync(fixture.Web, "operator");
        using var admin = await fixture.Web.AdminAsync();
        var (before, _) = await user.Client.GetAsync("/api/me"); // the web node now holds a copy of the account

        HttpStatusCode disable, afterDisable;
        await using (await StorageFaults.FailWritesAsync(fixture.System.ConnectionString, "outreach_directory_entries", $"NEW.id = '{user.AccountId}'"))
        {
            (disable, _) = await admin.PostAsync($"/api/accounts/{user.Login}/disable", null);
            (afterDisable, _) = await user.Client.GetAsync("/api/me");
        }
        var (retried, _) = await admin.PostAsync($"/api/accounts/{user.Login}/disable", null);
        var (_, list) = await admin.GetAsync("/api/accounts");

        Assert.Equal(HttpStatusCode.OK, before);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, disable);
        Assert.Equal(HttpStatusCode.Unauthorized, afterDisable); // the write landed: the session ended with it
        Assert.Equal(HttpStatusCode.OK, retried);
        var listed = Assert.Single(list!.AsArray(), a => a!["login"]!.GetValue<string>() == user.Login)!;
        Assert.True(listed["disabled"]!.GetValue<bool>(), $"the administrator's list still shows {user.Login} enabled");
    }

    [Fact]
    public async Task ListAccounts_AsAdmin_ShowsEveryLoginWithRolesAndState_NeverTheHash_OthersGet403()
    {
        using var admin = await fixture.Web.AdminAsync();
        using var volunteer = await TestUsers.CreateAsync(fixture.Web, "volunteer");
        using var leaver = await TestUsers.CreateAsync(fixture.Web, "operator");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/accounts/{leaver.Login}/disable", null)).Status);

        var (status, list) = await admin.GetAsync("/api/accounts");
        var (asVolunteer, _) = await volunteer.Client.GetAsync("/api/accounts");

        Assert.Equal(HttpStatusCode.OK, status);
        var rows = list!.AsArray().Select(a => a!).ToList();
        var v = Assert.Single(rows, a => a["login"]!.GetValue<string>() == volunteer.Login);
        var l = Assert.Single(rows, a => a["login"]!.GetValue<string>() == leaver.Login);
        Assert.Contains(rows, a => a["login"]!.GetValue<string>() == OutreachSystem.AdminLogin);
        Assert.Equal(["volunteer"], v["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(volunteer.VolunteerId, v["volunteerId"]!.GetValue<Guid>());
        Assert.False(v["disabled"]!.GetValue<bool>());
        Assert.True(l["disabled"]!.GetValue<bool>());
        Assert.Equal(leaver.AccountId, l["id"]!.GetValue<Guid>());
        Assert.All(rows, a => Assert.Null(a["passwordHash"]));
        Assert.DoesNotContain("PasswordHash", list.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Forbidden, asVolunteer);
    }

    [Fact]
    public async Task Accounts_AdminCannotDisableThemselves_OthersCannotDisableAnyone_UnknownLoginIs404()
    {
        using var admin = await fixture.Web.AdminAsync();
        using var coordinator = await TestUsers.CreateAsync(fixture.Web, "coordinator");
        using var target = await TestUsers.CreateAsync(fixture.Web, "operator");

        var (self, _) = await admin.PostAsync($"/api/accounts/{OutreachSystem.AdminLogin}/disable", null);
        var (byCoordinator, _) = await coordinator.Client.PostAsync($"/api/accounts/{target.Login}/disable", null);
        var (unknown, _) = await admin.PostAsync("/api/accounts/nobody-" + Guid.NewGuid().ToString("N")[..8] + "/disable", null);
        var (targetStill, _) = await target.Client.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.Conflict, self);
        Assert.Equal(HttpStatusCode.Forbidden, byCoordinator);
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Equal(HttpStatusCode.OK, targetStill);
    }

    [Fact]
    public async Task SetPassword_ByAdmin_OldOneStopsWorking_NewOneWorks_TooShortIs400()
    {
        using var admin = await fixture.Web.AdminAsync();
        using var user = await TestUsers.CreateAsync(fixture.Web, "volunteer");
        using var client = fixture.Web.Anonymous();

        var (tooShort, problem) = await admin.PostAsync($"/api/accounts/{user.Login}/password", new SetPasswordRequest("short"));
        var (set, _) = await admin.PostAsync($"/api/accounts/{user.Login}/password", new SetPasswordRequest("a-new-password-9"));
        var (old, _) = await client.PostAsync("/api/auth/login", new LoginRequest(user.Login, TestUsers.Password));
        var (@new, me) = await client.PostAsync("/api/auth/login", new LoginRequest(user.Login, "a-new-password-9"));

        Assert.Equal(HttpStatusCode.BadRequest, tooShort);
        Assert.Contains("password", problem!["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, set);
        Assert.Equal(HttpStatusCode.Unauthorized, old);
        Assert.Equal(HttpStatusCode.OK, @new);
        Assert.Equal(user.VolunteerId, me!["volunteerId"]!.GetValue<Guid>());
    }

    [Theory]
    [InlineData("/api/me")]
    [InlineData("/api/workers")]
    [InlineData("/api/stations")]
    [InlineData("/api/volunteers")]
    public async Task Api_WithoutCookie_Returns401(string path)
    {
        using var client = fixture.Web.Anonymous();

        var (status, _) = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Theory]
    [InlineData("volunteer", "GET", "/api/workers")]
    [InlineData("volunteer", "POST", "/api/workers/search")]
    [InlineData("volunteer", "POST", "/api/workers/lookup")]
    [InlineData("volunteer", "GET", "/api/audit")]
    [InlineData("coordinator", "GET", "/api/audit")]
    [InlineData("volunteer", "GET", "/api/volunteers")]
    [InlineData("operator", "GET", "/api/volunteers")]
    [InlineData("operator", "POST", "/api/stations")]
    [InlineData("coordinator", "POST", "/api/accounts")]
    [InlineData("operator", "POST", "/api/volunteers/me/duty")]
    [InlineData("coordinator", "POST", "/api/volunteers/me/position")]
    public async Task Api_WrongRole_Returns403(string role, string method, string path)
    {
        using var user = await TestUsers.CreateAsync(fixture.Web, role);

        var (status, _) = await user.Client.SendAsync(new HttpMethod(method), path, method == "GET" ? null : new { });

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task Logout_ThenApi_Returns401()
    {
        using var user = await TestUsers.CreateAsync(fixture.Web, "operator");

        var (logout, _) = await user.Client.PostAsync("/api/auth/logout", null);
        var (status, _) = await user.Client.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.NoContent, logout);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task CreateAccount_ExistingLogin_Returns409()
    {
        using var user = await TestUsers.CreateAsync(fixture.Web, "operator");
        using var admin = await fixture.Web.AdminAsync();

        var (status, body) = await admin.PostAsync("/api/accounts",
            new CreateAccountRequest(user.Login.ToUpperInvariant(), "another-password", "重复", ["operator"]));

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("already taken", body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"login":"x","password":"long-enough","name":"n","roles":["operator"]}""", "Login")]
    [InlineData("""{"login":"okay-login","password":"short","name":"n","roles":["operator"]}""", "Password")]
    [InlineData("""{"login":"okay-login","password":"long-enough","name":"n","roles":["pilot"]}""", "roles")]
    [InlineData("""{"login":"okay-login","password":"long-enough","name":"n","roles":["volunteer"]}""", "volunteerId")]
    public async Task CreateAccount_BadInput_Returns400NamingTheField(string json, string field)
    {
        using var admin = await fixture.Web.AdminAsync();

        var (status, body) = await admin.PostAsync("/api/accounts", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(field, body!["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }
}
