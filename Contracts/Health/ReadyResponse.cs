namespace Outreach.Contracts;

/// <summary>Body of a ready answer.</summary>
public sealed record ReadyResponse(string Status);
