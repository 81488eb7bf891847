namespace Outreach.Dispatch;

/// <summary>A service a volunteer completed: when, and for how many minutes (their recent load, for fatigue-aware ranking).</summary>
[GenerateSerializer, Immutable, Alias("Outreach.ServiceCredit")]
public readonly record struct ServiceCredit([property: Id(0)] DateTimeOffset At, [property: Id(1)] double Minutes);
