namespace Outreach.Model;

/// <summary>One recorded change to a file: who made it, when, and what it was.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.Change")]
public sealed record Change(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Actor,
    [property: Id(2)] string What);
