namespace Outreach.Accounts;

/// <summary>
/// A login: who it is, which roles it has, its password hash, for a volunteer their volunteer id, and whether an
/// administrator disabled it (a disabled login cannot sign in, and its open sessions end), and its security stamp:
/// every session carries the stamp it was issued with, and the account grain replaces the stamp when the password,
/// the roles, the volunteer or the disabled flag change, or when the user logs out everywhere, which ends every
/// session issued before. An empty stamp is an account stored before stamps existed. A single session logged out
/// is listed in <see cref="EndedSessions"/> until it would have expired anyway; a new stamp clears the list.
/// </summary>
[GenerateSerializer, Immutable, Alias("Outreach.Account")]
public sealed record Account(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Login,
    [property: Id(2)] string Name,
    [property: Id(3)] string[] Roles,
    [property: Id(4)] string PasswordHash,
    [property: Id(5)] Guid? VolunteerId,
    [property: Id(6)] bool Disabled = false,
    [property: Id(7)] string SecurityStamp = "",
    [property: Id(8)] EndedSession[]? EndedSessions = null);

/// <summary>A session logged out (its id, from the cookie), refused until <see cref="Until"/>, when it would have expired.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.EndedSession")]
public sealed record EndedSession([property: Id(0)] string Id, [property: Id(1)] DateTimeOffset Until);
