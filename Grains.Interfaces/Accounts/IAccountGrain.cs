namespace Outreach.Accounts;

/// <summary>One login; key <c>login:{login in lower case}</c> (see <see cref="AccountKeys"/>).</summary>
[Alias("Outreach.IAccountGrain")]
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>The account, or null when the login is free.</summary>
    [Alias("Get")]
    Task<Account?> GetAsync();

    /// <summary>Creates the account; false when the login is taken.</summary>
    [Alias("Create")]
    Task<bool> CreateAsync(Account account);

    /// <summary>Creates the account or replaces it, keeping its id (used for the bootstrap administrator).</summary>
    [Alias("Upsert")]
    Task<Account> UpsertAsync(Account account);
}
