namespace Outreach.Stations;

/// <summary>
/// A robot as a coordinator sets it (and as the station stores it). <see cref="Secret"/>: the DingTalk signing
/// secret; on an update null keeps the secret stored for the same kind and address, empty removes it.
/// </summary>
[GenerateSerializer, Immutable, Alias("Outreach.RobotSetting")]
public sealed record RobotSetting(
    [property: Id(0)] RobotKind Kind,
    [property: Id(1)] string Url,
    [property: Id(2)] string? Secret);
