namespace Outreach.Live;

/// <summary>
/// The registry's answer to a web node's renewal. <see cref="Known"/>: the registry already listed the node with this
/// observer (false after the registry was re-activated, or the node had expired). <see cref="MissedRevocation"/>: an
/// account grain could not hand the node a session revocation since its last renewal — the node must forget what it
/// knows of accounts and read them again.
/// </summary>
[GenerateSerializer, Immutable, Alias("Outreach.LiveRenewal")]
public sealed record LiveRenewal([property: Id(0)] bool Known, [property: Id(1)] bool MissedRevocation);
