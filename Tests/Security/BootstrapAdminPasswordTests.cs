using Outreach.Web.Accounts;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Security;

[Category(TestCategory.Unit)]
public sealed class BootstrapAdminPasswordTests
{
    [Theory]
    [InlineData("admin", "outreach-admin", "published")]
    [InlineData("admin", "OUTREACH-DEMO", "published")]
    [InlineData("admin", "short-pw", "shorter")]
    [InlineData("administrator1", "Administrator1", "login")]
    [InlineData("admin", "aaaaaaaaaaaaaaaa", "repeated")]
    public void Weakness_OfAWeakPassword_SaysWhy(string login, string password, string why) =>
        Assert.Contains(why, BootstrapAdminPassword.Weakness(login, password), StringComparison.Ordinal);

    [Theory]
    [InlineData("admin", "correct-horse-battery")]
    [InlineData("admin", null)]
    public void Weakness_OfAStrongOrNoPassword_IsNull(string login, string? password) =>
        Assert.Null(BootstrapAdminPassword.Weakness(login, password));
}
