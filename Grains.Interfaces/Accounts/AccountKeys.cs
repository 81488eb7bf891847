namespace Outreach.Accounts;

/// <summary>Grain keys of accounts.</summary>
public static class AccountKeys
{
    /// <summary>The key of the account grain for a login (case-insensitive).</summary>
    public static string For(string login) => "login:" + login.Trim().ToLowerInvariant();
}
