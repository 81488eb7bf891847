using Outreach.Accounts;
using Outreach.Files;

namespace Outreach.Web.Accounts;

/// <summary>
/// Every login, from the accounts directory that the account grains keep (a few shards asked at once, no grain per
/// account). Neither the password hash nor the security stamp is in it.
/// </summary>
public sealed class AccountList(IGrainFactory grains)
{
    /// <summary>The accounts, by login.</summary>
    public async Task<AccountView[]> ListAsync()
    {
        var accounts = await grains.ListDirectoryAsync<AccountSummary>(DirectoryShards.Accounts);
        return [.. accounts.Select(AccountView.Of).OrderBy(a => a.Login, StringComparer.OrdinalIgnoreCase)];
    }
}
