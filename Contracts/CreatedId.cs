namespace Outreach.Contracts;

/// <summary>The id of something just created.</summary>
public sealed record CreatedId(Guid Id);
