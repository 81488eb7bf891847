using System.Net;
using Outreach.Contracts;

namespace Outreach.Tests.Infrastructure;

/// <summary>Creates logins with fresh names through the accounts API, so tests never share a user.</summary>
public static class TestUsers
{
    public const string Password = "test-password-1";

    /// <summary>A logged-in client for a new account with <paramref name="role"/>; a volunteer gets a new volunteer too.</summary>
    public static async Task<TestUser> CreateAsync(WebNode web, string role, object? volunteer = null)
    {
        using var admin = await web.AdminAsync();
        Guid? volunteerId = null;
        if (role == "volunteer")
        {
            var (status, body) = await admin.PostAsync("/api/volunteers", volunteer ?? new
            {
                name = "测试志愿者",
                phone = "13912345678",
                skills = new[] { "Groceries" },
                travelMode = "Bike",
            });
            Assert.True(status == HttpStatusCode.Created, $"creating a volunteer: {(int)status} {body}");
            volunteerId = body!["id"]!.GetValue<Guid>();
        }
        var login = $"{role}-{Guid.NewGuid():N}"[..24];
        var (accountStatus, account) = await admin.PostAsync("/api/accounts",
            new CreateAccountRequest(login, Password, $"测试{role}", [role], volunteerId));
        Assert.True(accountStatus == HttpStatusCode.Created, $"creating a {role} account: {(int)accountStatus} {account}");
        var client = await web.LoginAsync(login, Password);
        return new TestUser(login, account!["id"]!.GetValue<Guid>(), volunteerId, client);
    }
}

/// <summary>A test login and its client.</summary>
public sealed record TestUser(string Login, Guid AccountId, Guid? VolunteerId, ApiClient Client) : IDisposable
{
    public void Dispose() => Client.Dispose();
}
