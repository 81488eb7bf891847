namespace Outreach.Dispatch;

/// <summary>The call-back (回访) after a completed request.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.FollowUpRecord")]
public sealed record FollowUpRecord(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string By,
    [property: Id(2)] bool Satisfied,
    [property: Id(3)] int Rating,
    [property: Id(4)] string? Note);
