using Microsoft.Extensions.Caching.Memory;
using Outreach.Accounts;

namespace Outreach.Web.Auth;

/// <summary>
/// Whether a signed-in login may still act: checked on every authenticated request (the cookie's
/// <c>OnValidatePrincipal</c>), remembered for <see cref="RememberFor"/> so a request costs a grain call at most
/// that often. This node forgets a login at once when an administrator changes it here; other nodes within
/// <see cref="RememberFor"/>.
/// </summary>
public sealed class AccountStatus(IGrainFactory grains, ILogger<AccountStatus> log) : IDisposable
{
    /// <summary>How long a login's status is remembered.</summary>
    public static readonly TimeSpan RememberFor = TimeSpan.FromSeconds(30);

    private readonly MemoryCache _known = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    /// <summary>How long a check may take before the request goes on without it (see <see cref="IsActiveAsync"/>).</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// True while the account exists, has this id and is not disabled. When the account grain cannot answer within
    /// <see cref="CheckTimeout"/> (its silo just died and the cluster has not noticed yet), the session is let
    /// through: the cookie itself is valid, and one slow dependency must not stall or sign out everyone.
    /// </summary>
    public async Task<bool> IsActiveAsync(string login, Guid accountId)
    {
        var key = AccountKeys.For(login);
        if (!_known.TryGetValue(key, out (Guid Id, bool Disabled) known))
        {
            Account? account;
            try
            {
                account = await grains.GetGrain<IAccountGrain>(key).GetAsync().WaitAsync(CheckTimeout);
            }
            catch (Exception e) when (e is TimeoutException or OrleansException or SiloUnavailableException)
            {
                log.LogWarning("Could not check login {Login} ({Reason}); letting the session through", login, e.GetType().Name);
                return true;
            }
            known = account is null ? (Guid.Empty, true) : (account.Id, account.Disabled);
            _known.Set(key, known, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = RememberFor, Size = 1 });
        }
        return known.Id == accountId && !known.Disabled;
    }

    /// <summary>Forgets what is remembered of <paramref name="login"/> (after a change made through this node).</summary>
    public void Forget(string login) => _known.Remove(AccountKeys.For(login));

    public void Dispose() => _known.Dispose();
}
