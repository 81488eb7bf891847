using System.Net;
using Outreach.Contracts;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Api;

[Collection(SystemCollection.Name)]
[Category(TestCategory.System)]
public sealed class PasswordPolicyTests(SystemFixture fixture)
{
    [Theory]
    [InlineData("short-pw1", "A password has at least 10 characters.")]
    [InlineData("{login}-2024!", "A password must not be or contain the login.")]
    [InlineData("{LOGIN}", "A password must not be or contain the login.")]
    [InlineData("password123", "This password is too common; choose another.")]
    [InlineData("QWERTYUIOP", "This password is too common; choose another.")]
    public async Task CreateAccount_PasswordAgainstThePolicy_Returns400NamingPasswordWithTheReason(string password, string reason)
    {
        using var admin = await fixture.Web.AdminAsync();
        var login = "pp-" + Guid.NewGuid().ToString("N")[..10];

        var (status, body) = await admin.PostAsync("/api/accounts", new CreateAccountRequest(
            login,
            password.Replace("{login}", login, StringComparison.Ordinal).Replace("{LOGIN}", login.ToUpperInvariant(), StringComparison.Ordinal),
            "策略",
            ["operator"]));
        var (exists, _) = await admin.GetAsync($"/api/accounts/{login}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal([reason], body!["errors"]!["password"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, exists);
    }

    [Fact]
    public async Task SetPassword_AgainstThePolicy_Returns400_AndTheOldPasswordStillWorks()
    {
        using var admin = await fixture.Web.AdminAsync();
        using var user = await TestUsers.CreateAsync(fixture.Web, "operator");

        var (status, body) = await admin.PostAsync($"/api/accounts/{user.Login}/password", new SetPasswordRequest("1234567890"));
        using var again = await fixture.Web.LoginAsync(user.Login, TestUsers.Password);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("password: This password is too common; choose another.", body!["detail"]!.GetValue<string>());
    }
}
