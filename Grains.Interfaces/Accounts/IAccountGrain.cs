namespace Outreach.Accounts;

/// <summary>One login; key <c>login:{login in lower case}</c> (see <see cref="AccountKeys"/>).</summary>
[Alias("Outreach.IAccountGrain")]
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>The account, or null when the login is free.</summary>
    [Alias("Get")]
    Task<Account?> GetAsync();

    /// <summary>Creates the account with a fresh security stamp; false when the login is taken.</summary>
    [Alias("Create")]
    Task<bool> CreateAsync(Account account);

    /// <summary>
    /// Creates the account or replaces it, keeping its id. The security stamp is the grain's: it is replaced (and every
    /// web node told) when the password hash, roles, volunteer or disabled flag change; the caller's is ignored.
    /// </summary>
    [Alias("Upsert")]
    Task<Account> UpsertAsync(Account account);

    /// <summary>
    /// Replaces the hash of the same password by a stronger one (a rehash at login): sessions stay. Null when the
    /// account is gone or its hash is no longer <paramref name="expectedHash"/>.
    /// </summary>
    [Alias("Rehash")]
    Task<Account?> RehashAsync(string expectedHash, string newHash);

    /// <summary>
    /// Does again what follows a write, without writing: tells every web node the account as stored and lists it in the
    /// directory. For a change retried after a 503 that came after its write (the account is already so, but the
    /// directory or a node may not know). Null when there is no account.
    /// </summary>
    [Alias("Settle")]
    Task<Account?> SettleAsync();

    /// <summary>Ends every session of the account ("log out everywhere"): a new security stamp. Null when there is no account.</summary>
    [Alias("EndSessions")]
    Task<Account?> EndSessionsAsync();

    /// <summary>
    /// Ends one session (logout): its id is listed until <paramref name="until"/> (when it would have expired) and
    /// every web node told, as for a new stamp; a repeat tells them again. False when there is no account.
    /// </summary>
    [Alias("EndSession")]
    Task<bool> EndSessionAsync(string sessionId, DateTimeOffset until);
}
