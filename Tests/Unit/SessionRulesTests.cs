using Outreach.Accounts;
using Outreach.Grains.Accounts;
using Outreach.Web.Auth;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

[Category(TestCategory.Unit)]
public sealed class SessionRulesTests
{
    private static readonly Account Stored = new(Guid.NewGuid(), "wang", "王丽", ["operator"], "hash-1", null, false, "stamp-1");

    [Fact]
    public void SecurityStamp_NewAccount_GetsAFreshStamp() =>
        Assert.False(string.IsNullOrEmpty(SecurityStamps.After(null, Stored with { SecurityStamp = "" })));

    [Fact]
    public void SecurityStamp_RenameOrSameRolesInAnotherOrder_KeepsTheStamp()
    {
        var twoRoles = Stored with { Roles = ["operator", "coordinator"] };

        Assert.Equal("stamp-1", SecurityStamps.After(Stored, Stored with { Name = "王丽丽" }));
        Assert.Equal("stamp-1", SecurityStamps.After(twoRoles, twoRoles with { Roles = ["coordinator", "operator"] }));
        Assert.Equal("stamp-1", SecurityStamps.After(Stored, Stored with { SecurityStamp = "what-the-caller-sent" }));
    }

    [Fact]
    public void SecurityStamp_PasswordRolesVolunteerOrDisabledChanged_IsReplaced()
    {
        Assert.NotEqual("stamp-1", SecurityStamps.After(Stored, Stored with { PasswordHash = "hash-2" }));
        Assert.NotEqual("stamp-1", SecurityStamps.After(Stored, Stored with { Roles = ["operator", "admin"] }));
        Assert.NotEqual("stamp-1", SecurityStamps.After(Stored, Stored with { Roles = ["coordinator"] }));
        Assert.NotEqual("stamp-1", SecurityStamps.After(Stored, Stored with { VolunteerId = Guid.NewGuid() }));
        Assert.NotEqual("stamp-1", SecurityStamps.After(Stored, Stored with { Disabled = true }));
    }

    [Fact]
    public void LoginBackoff_FreeFailuresThenDoublingUpToTheCap()
    {
        var options = new LoginBackoffOptions { FreeFailures = 3, FirstDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(60) };

        var delays = Enumerable.Range(1, 12).Select(n => LoginBackoff.DelayAfter(n, options).TotalSeconds).ToArray();

        Assert.Equal([0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60], delays);
        Assert.Equal(TimeSpan.FromSeconds(60), LoginBackoff.DelayAfter(10_000, options));
    }

    [Fact]
    public void AccountKeys_OneNormalisationForKeyAndThrottle()
    {
        Assert.Equal("login:kelvin", AccountKeys.For(" \u212Aelvin "));
        Assert.Equal(AccountKeys.Normalize("KELVIN"), AccountKeys.Normalize("\u212Aelvin"));
    }

    [Theory]
    [InlineData("wang", "short-1", false)]
    [InlineData("wang", "xx-WANG-xx-yy", false)]
    [InlineData("wang", "Password123", false)]
    [InlineData("wang", "hotline-desk-17", true)]
    public void PasswordPolicy_Refusal(string login, string password, bool allowed) =>
        Assert.Equal(allowed, PasswordPolicy.Refusal(login, password) is null);
}
