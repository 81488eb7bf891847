using Outreach.Files;

namespace Outreach.Accounts;

/// <summary>A login as the account list shows it (the accounts directory): never its password hash or security stamp.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.AccountSummary")]
public sealed record AccountSummary(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Login,
    [property: Id(2)] string Name,
    [property: Id(3)] string[] Roles,
    [property: Id(4)] Guid? VolunteerId,
    [property: Id(5)] bool Disabled) : IDirectoryEntry
{
    public static AccountSummary Of(Account account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new(account.Id, account.Login, account.Name, account.Roles, account.VolunteerId, account.Disabled);
    }
}
