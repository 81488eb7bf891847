namespace Outreach.Web.Pages;

/// <summary>Map settings the pages read from <c>GET /api/config</c> (section <c>Outreach:Map</c>).</summary>
public sealed class MapOptions
{
    public const string Section = "Outreach:Map";

    /// <summary>Leaflet tile URL template, e.g. <c>https://tile.example.org/{z}/{x}/{y}.png</c>; empty = no tiles.</summary>
    public string TileUrl { get; set; } = "";

    /// <summary>Attribution shown under the tiles (HTML allowed by Leaflet; it comes from configuration only).</summary>
    public string TileAttribution { get; set; } = "";
}
