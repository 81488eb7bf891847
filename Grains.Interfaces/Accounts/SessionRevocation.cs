namespace Outreach.Accounts;

/// <summary>
/// An account's sessions were revoked: its security stamp changed (password, roles, disabled, "log out everywhere"), or
/// one session logged out (<see cref="EndedSessions"/>: the account's sessions logged out and not yet expired). Sent by
/// the account grain to every web node, which ends the sessions and hub connections that carry an older stamp or one
/// of those session ids.
/// </summary>
[GenerateSerializer, Immutable, Alias("Outreach.SessionRevocation")]
public sealed record SessionRevocation(
    [property: Id(0)] string AccountKey,
    [property: Id(1)] Guid AccountId,
    [property: Id(2)] string SecurityStamp,
    [property: Id(3)] bool Disabled,
    [property: Id(4)] string[]? EndedSessions = null);
