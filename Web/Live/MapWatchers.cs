using System.Collections.Concurrent;
using Outreach.Model;

namespace Outreach.Web.Live;

/// <summary>What one coordinator's map shows: its box, and whether single volunteers are drawn (markers) or clusters.</summary>
public sealed record MapWatch(MapBox Box, bool Markers);

/// <summary>
/// The map views of this node's hub connections (set by the page with the hub method <c>WatchMap</c>), so moves are
/// sent only to the maps that show them.
/// </summary>
public sealed class MapWatchers
{
    private readonly ConcurrentDictionary<string, MapWatch> _watches = new(StringComparer.Ordinal);

    public void Watch(string connectionId, MapWatch watch) => _watches[connectionId] = watch;

    public void Forget(string connectionId) => _watches.TryRemove(connectionId, out _);

    public bool IsEmpty => _watches.IsEmpty;

    /// <summary>The connections that draw single volunteers and whose box holds one of the points.</summary>
    public IEnumerable<(string ConnectionId, MapBox Box)> ShowingMarkers() =>
        _watches.Where(w => w.Value.Markers).Select(w => (w.Key, w.Value.Box));

    /// <summary>Whether any of the points is inside the box.</summary>
    public static bool Shows(MapBox box, GeoPoint? now, GeoPoint? before) =>
        (now is { } n && box.Contains(n)) || (before is { } b && box.Contains(b));
}
