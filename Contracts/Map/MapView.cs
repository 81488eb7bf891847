
namespace Outreach.Contracts;

/// <summary>A cluster of on-duty volunteers on the map: how many are inside <see cref="Box"/>, drawn at <see cref="Position"/> (their mean position).</summary>
public sealed record MapCluster(PositionDto Position, int Count, MapBox Box);

/// <summary>
/// The on-duty volunteers inside a view of the coordinators' map, as of <see cref="Seq"/>: clusters (counts per square of
/// <see cref="SquareDegrees"/>) when <see cref="Mode"/> is <c>clusters</c>, each volunteer when it is <c>markers</c>.
/// </summary>
public sealed record MapView(long Seq, string Mode, int Zoom, MapBox Box, int Total, double SquareDegrees,
    MapCluster[] Clusters, MapVolunteer[] Volunteers);
