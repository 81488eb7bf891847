using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Outreach.Accounts;
using Outreach.Model;

namespace Outreach.Web.Accounts;

/// <summary>Creates the configured administrator, or resets their password, once the cluster is reachable.</summary>
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
        var existing = await grain.GetAsync();
        var draft = existing is null
            ? new Account(Guid.NewGuid(), login, options.Value.Name, [Roles.Admin], "", null)
            : existing with { Roles = [.. existing.Roles.Union([Roles.Admin])], Disabled = false };
        if (existing is not null && hasher.VerifyHashedPassword(existing, existing.PasswordHash, password) == PasswordVerificationResult.Success
            && existing.Roles.Contains(Roles.Admin) && !existing.Disabled)
        {
            return;
        }
        await grain.UpsertAsync(draft with { PasswordHash = hasher.HashPassword(draft, password) });
        log.LogInformation("Bootstrap administrator '{Login}' {Action}", login, existing is null ? "created" : "reset");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
