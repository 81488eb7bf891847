using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Outreach.Accounts;
using Outreach.Model;

namespace Outreach.Web.Accounts;

/// <summary>
/// Creates the configured administrator once the cluster is reachable, only when the login does not exist. An
/// existing account is left exactly as it is: a password set since, a disable, a role change all survive restarts.
/// </summary>
public sealed class BootstrapAdmin(
    IOptions<BootstrapAdminOptions> options,
    IGrainFactory grains,
    IPasswordHasher<Account> hasher,
    ILogger<BootstrapAdmin> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var (login, password) = (options.Value.Login?.Trim(), options.Value.Password);
        if (string.IsNullOrEmpty(login) || string.IsNullOrEmpty(password))
        {
            log.LogWarning("No bootstrap administrator configured (Outreach:BootstrapAdmin:Login / :Password)");
            return;
        }
        var grain = grains.GetGrain<IAccountGrain>(AccountKeys.For(login));
        if (await grain.GetAsync() is not null)
        {
            log.LogInformation("Bootstrap administrator '{Login}' exists; left as it is", login);
            return;
        }
        var draft = new Account(Guid.NewGuid(), login, options.Value.Name, [Roles.Admin], "", null);
        // Create, not upsert: when two web nodes start at once, the first one's account stands.
        var created = await grain.CreateAsync(draft with { PasswordHash = hasher.HashPassword(draft, password) });
        log.LogInformation("Bootstrap administrator '{Login}' {Action}", login, created ? "created" : "created meanwhile by another node");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
