using System.ComponentModel.DataAnnotations;
using Outreach.Accounts;

namespace Outreach.Contracts;

/// <summary>Body of <c>POST /api/accounts</c>.</summary>
public sealed record CreateAccountRequest(
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9._-]{2,31}$",
        ErrorMessage = "A login is 3 to 32 letters, digits, '.', '_' or '-', starting with a letter.")] string Login,
    [Required, StringLength(128)] string Password,
    [Required, StringLength(64, MinimumLength = 1)] string Name,
    [Required, MinLength(1)] string[] Roles,
    Guid? VolunteerId = null);

/// <summary>Body of <c>POST /api/accounts/{login}/password</c>.</summary>
public sealed record SetPasswordRequest([Required, StringLength(128)] string Password);

/// <summary>An account as administrators see it: everything but the password hash.</summary>
public sealed record AccountView(Guid Id, string Login, string Name, string[] Roles, Guid? VolunteerId, bool Disabled)
{
    public static AccountView Of(Account a) => new(a.Id, a.Login, a.Name, a.Roles, a.VolunteerId, a.Disabled);

    public static AccountView Of(AccountSummary a) => new(a.Id, a.Login, a.Name, a.Roles, a.VolunteerId, a.Disabled);
}
