using Microsoft.Extensions.Caching.Memory;
using Outreach.Accounts;

namespace Outreach.Web.Auth;

/// <summary>
/// Whether a signed-in login may still act: checked on every authenticated request (the cookie's
/// <c>OnValidatePrincipal</c>), remembered for <see cref="RememberFor"/> so a request costs a grain call at most
/// that often. This node forgets a login at once when an administrator changes it here; other nodes within
/// <see cref="RememberFor"/>.
/// </summary>
public sealed class AccountStatus(IGrainFactory grains) : IDisposable
{
    /// <summary>How long a login's status is remembered.</summary>
    public static readonly TimeSpan RememberFor = TimeSpan.FromSeconds(30);

    private readonly MemoryCache _known = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    /// <summary>True while the account exists, has this id and is not disabled.</summary>
    public async Task<bool> IsActiveAsync(string login, Guid accountId)
    {
        var key = AccountKeys.For(login);
        if (!_known.TryGetValue(key, out (Guid Id, bool Disabled) known))
        {
            var account = await grains.GetGrain<IAccountGrain>(key).GetAsync();
            known = account is null ? (Guid.Empty, true) : (account.Id, account.Disabled);
            _known.Set(key, known, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = RememberFor, Size = 1 });
        }
        return known.Id == accountId && !known.Disabled;
    }

    /// <summary>Forgets what is remembered of <paramref name="login"/> (after a change made through this node).</summary>
    public void Forget(string login) => _known.Remove(AccountKeys.For(login));

    public void Dispose() => _known.Dispose();
}
