namespace Outreach.Accounts;

/// <summary>Grain keys of accounts, and the one normalisation of a login name every part uses.</summary>
public static class AccountKeys
{
    /// <summary>
    /// The login name as the system compares it: surrounding spaces dropped, lower case (invariant). The account key
    /// and the login throttle both use it, so no spelling of a name (<c>ADMIN</c>, <c> admin </c>, the Kelvin sign
    /// for <c>k</c>) reaches the same account while being counted as another name.
    /// </summary>
    public static string Normalize(string login) => login.Trim().ToLowerInvariant();

    /// <summary>The key of the account grain for a login (case-insensitive).</summary>
    public static string For(string login) => "login:" + Normalize(login);
}
