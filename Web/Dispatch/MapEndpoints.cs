using Microsoft.AspNetCore.Http.HttpResults;
using Outreach.Dispatch;
using Outreach.Web.Auth;
using Outreach.Web.Infrastructure;
using Outreach.Web.Live;
using Outreach.Cluster;

namespace Outreach.Web.Dispatch;

/// <summary>
/// The volunteers on the coordinators' map, for the part of it in view: its cost follows the screen, not the city.
/// Zoomed out, counts per square of a grid that grows with the view (at the finest, one dispatch cell), read from the
/// dispatch cells' rows; zoomed in (and few enough), each volunteer, from the dispatch cells in view. No volunteer
/// grain is called.
/// </summary>
public static class MapEndpoints
{
    /// <summary>The lowest zoom at which single volunteers are drawn (about 15 km across a 1,000-pixel map).</summary>
    public const int MarkerMinZoom = 12;

    /// <summary>The most single volunteers one view carries; more in view are drawn as clusters.</summary>
    public const int MaxMarkers = 1_000;

    /// <summary>The most clusters one view carries: the squares grow until the view holds no more.</summary>
    public const int MaxSquares = 2_500;

    /// <summary>The dispatch grid's cell, in degrees (the silo's <c>GeoGrid.CellDegrees</c>): the smallest square.</summary>
    public const double CellDegrees = 0.05;

    /// <summary>Clusters about this many pixels apart at the map's zoom.</summary>
    private const double ClusterPixels = 80;

    public static IEndpointRouteBuilder MapMapEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/map/view", View).WithTags("Map").RequireAuthorization(Policies.Coordinator);
        return app;
    }

    /// <summary>The on-duty volunteers inside the box, clustered or one by one as the zoom and their number say.</summary>
    private static async Task<Results<Ok<MapView>, ValidationProblem>> View(
        double? south, double? west, double? north, double? east, int? zoom,
        IGrainFactory grains, DispatchQueries queries, LiveRelay relay, CancellationToken cancellationToken)
    {
        if (Check(south, west, north, east, zoom) is { } problem)
            return problem;
        var box = new MapBox(south!.Value, west!.Value, north!.Value, east!.Value);
        // Read the sequence first: whatever moves while the view is gathered arrives again as an event.
        var seq = relay.CurrentSeq;
        var square = SquareDegrees(zoom!.Value, box);
        var squares = await queries.VolunteerSquaresAsync(box, square, cancellationToken);
        var total = squares.Sum(s => s.Count);

        if (zoom >= MarkerMinZoom && total <= MaxMarkers)
        {
            // Only the cells that hold someone in view; their positions are the latest (moves inside a cell stay in memory).
            var cells = squares.SelectMany(s => s.Cells).Distinct(StringComparer.Ordinal);
            var entries = await Task.WhenAll(cells.Select(cell => grains.Get<IDispatchCellGrain>(cell).ListAsync()));
            var inView = entries.SelectMany(e => e).Where(e => box.Contains(e.Position)).ToArray();
            // More than a view may carry (they moved in since their rows were written): clusters, never a cut list.
            if (inView.Length <= MaxMarkers)
            {
                return TypedResults.Ok(new MapView(seq, "markers", zoom.Value, box, inView.Length, square, [],
                    [.. inView.OrderBy(e => e.VolunteerId).Select(ToMap)]));
            }
        }
        return TypedResults.Ok(new MapView(seq, "clusters", zoom.Value, box, total, square,
            [.. squares.Select(s => new MapCluster(PositionDto.From(s.Center), s.Count, s.Box))], []));
    }

    /// <summary>The side of the grid's squares: a dispatch cell doubled until clusters are about 80 pixels apart and the view holds at most <see cref="MaxSquares"/>.</summary>
    public static double SquareDegrees(int zoom, MapBox box)
    {
        ArgumentNullException.ThrowIfNull(box);
        var target = 360.0 / Math.Pow(2, zoom) * ClusterPixels / 256;
        var size = CellDegrees;
        while (size < target || (box.North - box.South) / size * ((box.East - box.West) / size) > MaxSquares)
            size *= 2;
        return size;
    }

    private static ValidationProblem? Check(double? south, double? west, double? north, double? east, int? zoom)
    {
        foreach (var (name, value, limit) in new[] { ("south", south, 90.0), ("north", north, 90.0), ("west", west, 180.0), ("east", east, 180.0) })
        {
            if (value is null)
                return Problems.Field(name, "Required: the view's edge in degrees.");
            if (!double.IsFinite(value.Value) || Math.Abs(value.Value) > limit)
                return Problems.Field(name, $"Must be a number of degrees from -{limit} to {limit}.");
        }
        if (south > north)
            return Problems.Field("north", "Must not be south of 'south'.");
        if (west > east)
            return Problems.Field("east", "Must not be west of 'west' (a view does not cross the antimeridian).");
        if (zoom is null or < 0 or > 22)
            return Problems.Field("zoom", "Required: the map's zoom level, 0 to 22.");
        return null;
    }

    private static MapVolunteer ToMap(CellEntry e) => new(
        e.VolunteerId, e.Name, PositionDto.From(e.Position), true, e.PositionAt, e.Skills, e.TravelMode, e.Load, e.Capacity);
}
