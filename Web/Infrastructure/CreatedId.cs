namespace Outreach.Web.Infrastructure;

/// <summary>The id of something just created.</summary>
public sealed record CreatedId(Guid Id);
