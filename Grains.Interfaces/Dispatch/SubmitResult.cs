namespace Outreach.Dispatch;

/// <summary>The request after intake, and whether this call created it or found it already made.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.SubmitResult")]
public sealed record SubmitResult([property: Id(0)] HelpRequestView Request, [property: Id(1)] bool Created);
