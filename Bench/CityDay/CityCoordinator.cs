using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Outreach.Contracts;

namespace Outreach.Bench.CityDay;

/// <summary>What opening the desk cost: the snapshot's pages (stations, open requests) and the map's view.</summary>
public sealed record DeskOpening(double FirstPageMs, long FirstPageBytes, double SnapshotMs, long SnapshotBytes, int SnapshotPages, int OpenRequests,
    double ViewMs, long ViewBytes, string ViewMode, int ViewTotal, int ViewItems);

/// <summary>A map in view: its box and zoom, as a coordinator's screen would ask.</summary>
public sealed record MapScreen(string Name, double South, double West, double North, double East, int Zoom);

/// <summary>
/// A coordinator with the desk open on one web node: reads the snapshot (every page) and the map's view as the page
/// does, watches the map's box over the hub, and counts every live event (and its bytes) it receives.
/// </summary>
public sealed class CityCoordinator(string cookie, SessionPool pool, Uri node, MapScreen screen) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (long Count, long Bytes)> _received = new(StringComparer.Ordinal);
    private HubConnection? _hub;

    /// <summary>Not an event: the requests the <c>requestsUpdated</c> messages carried, counted beside them.</summary>
    public const string RequestsCarried = "(requests carried)";

    public MapScreen Screen => screen;

    public async Task ConnectAsync()
    {
        _hub = SessionPool.Hub(node, cookie);
        foreach (var name in LiveEvents.All)
        {
            _hub.On<JsonElement>(name, payload =>
            {
                var bytes = Encoding.UTF8.GetByteCount(payload.GetRawText());
                _received.AddOrUpdate(name, (1, bytes), (_, c) => (c.Count + 1, c.Bytes + bytes));
                if (name == LiveEvents.RequestsUpdated && payload.TryGetProperty("requests", out var requests))
                {
                    var carried = requests.GetArrayLength();
                    _received.AddOrUpdate(RequestsCarried, (carried, 0), (_, c) => (c.Count + carried, 0));
                }
            });
        }
        await _hub.StartAsync();
    }

    /// <summary>Opens the desk: every snapshot page, then the view of the screen, then watches it.</summary>
    public async Task<DeskOpening> OpenAsync()
    {
        double snapshotMs = 0, firstMs = 0;
        long snapshotBytes = 0, firstBytes = 0;
        var pages = 0;
        var open = 0;
        string? after = null;
        do
        {
            var page = await pool.GetTextAsync(node, after is null ? "/api/map/snapshot" : $"/api/map/snapshot?after={after}", cookie);
            if (page.Status != HttpStatusCode.OK)
                throw new InvalidOperationException($"snapshot: HTTP {(int)page.Status}");
            var bytes = Encoding.UTF8.GetByteCount(page.Body);
            if (pages++ == 0)
                (firstMs, firstBytes) = (page.Ms, bytes);
            snapshotMs += page.Ms;
            snapshotBytes += bytes;
            using var json = JsonDocument.Parse(page.Body);
            open += json.RootElement.GetProperty("requests").GetArrayLength();
            after = json.RootElement.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (after is not null);

        var query = string.Create(CultureInfo.InvariantCulture,
            $"/api/map/view?south={screen.South}&west={screen.West}&north={screen.North}&east={screen.East}&zoom={screen.Zoom}");
        var view = await pool.GetTextAsync(node, query, cookie);
        if (view.Status != HttpStatusCode.OK)
            throw new InvalidOperationException($"map view: HTTP {(int)view.Status} {view.Body}");
        using var v = JsonDocument.Parse(view.Body);
        var mode = v.RootElement.GetProperty("mode").GetString()!;
        var items = v.RootElement.GetProperty("clusters").GetArrayLength() + v.RootElement.GetProperty("volunteers").GetArrayLength();
        if (_hub is not null)
            await _hub.InvokeAsync("WatchMap", screen.South, screen.West, screen.North, screen.East, mode);
        return new DeskOpening(firstMs, firstBytes, snapshotMs, snapshotBytes, pages, open, view.Ms, Encoding.UTF8.GetByteCount(view.Body), mode,
            v.RootElement.GetProperty("total").GetInt32(), items);
    }

    /// <summary>The events received so far, by name.</summary>
    public IReadOnlyDictionary<string, (long Count, long Bytes)> Received => new Dictionary<string, (long, long)>(_received);

    public async ValueTask DisposeAsync()
    {
        if (_hub is not null)
            await _hub.DisposeAsync();
    }
}
