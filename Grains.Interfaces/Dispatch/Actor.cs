namespace Outreach.Dispatch;

/// <summary>Who does something to a request: an account, shown by name in the timeline.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.Actor")]
public sealed record Actor(
    [property: Id(0)] Guid AccountId,
    [property: Id(1)] string Name,
    [property: Id(2)] Guid? VolunteerId = null)
{
    /// <summary>The system itself (deadlines firing).</summary>
    public static Actor System { get; } = new(Guid.Empty, "system");
}
