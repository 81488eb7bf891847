using Outreach.Model;

namespace Outreach.Web.Dispatch;

/// <summary>The on-duty volunteers inside one square of the map's grid: how many, their mean position, and the dispatch cells that hold them.</summary>
public sealed record VolunteerSquare(MapBox Box, int Count, GeoPoint Center, string[] Cells);
