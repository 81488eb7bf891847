namespace Outreach.Accounts;

/// <summary>A login: who it is, which roles it has, its password hash and, for a volunteer, their volunteer id.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.Account")]
public sealed record Account(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Login,
    [property: Id(2)] string Name,
    [property: Id(3)] string[] Roles,
    [property: Id(4)] string PasswordHash,
    [property: Id(5)] Guid? VolunteerId);
