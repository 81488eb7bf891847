using Outreach.Accounts;

namespace Outreach.Grains.Accounts;

/// <summary>When an account's security stamp changes: the rule the account grain applies to every change.</summary>
public static class SecurityStamps
{
    /// <summary>A new, unguessable stamp.</summary>
    public static string New() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// The stamp <paramref name="next"/> is stored with: a new one when the account is new, or when what a session
    /// relies on changed — the password hash, the roles, the volunteer it acts for, or the disabled flag; otherwise the
    /// stored one (renaming keeps sessions). The caller's own <see cref="Account.SecurityStamp"/> is never taken.
    /// </summary>
    public static string After(Account? stored, Account next)
    {
        if (stored is null)
            return New();
        var revoke = stored.PasswordHash != next.PasswordHash
            || stored.Disabled != next.Disabled
            || stored.VolunteerId != next.VolunteerId
            || !new HashSet<string>(stored.Roles, StringComparer.Ordinal).SetEquals(next.Roles);
        return revoke ? New() : stored.SecurityStamp;
    }
}
