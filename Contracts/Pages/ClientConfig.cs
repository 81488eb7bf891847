namespace Outreach.Contracts;

/// <summary>Body of <c>GET /api/config</c>: what the pages need to know before they start.</summary>
public sealed record ClientConfig(string TileUrl, string TileAttribution);
