namespace Outreach.Dispatch;

/// <summary>The outcome of an action on a request, a human-readable reason, and the request afterwards.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.DispatchResult")]
public sealed record DispatchResult(
    [property: Id(0)] DispatchOutcome Outcome,
    [property: Id(1)] string? Detail,
    [property: Id(2)] HelpRequestView? Request)
{
    public bool Succeeded => Outcome == DispatchOutcome.Ok;
}
