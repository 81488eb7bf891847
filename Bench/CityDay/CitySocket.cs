using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Outreach.Contracts;

namespace Outreach.Bench.CityDay;

/// <summary>When a socket whose node was killed was back: connected to the other node and its offers and jobs read again.</summary>
public readonly record struct Resync(long At, int Attempts, int OffersListed, int OffersNotSeenLive, bool Ok, string? Error,
    double ConnectMs = 0, double WorkMs = 0);

/// <summary>
/// A volunteer's phone with the page open: a SignalR connection (WebSockets, the session cookie as a header, the JSON hub
/// protocol spoken by <see cref="LeanHub"/>). When its
/// web node dies it does what the page does: connects to another node and reads its record, offers and jobs again on
/// the new connection (the hub's <c>Resync</c>).
/// </summary>
public sealed class CitySocket(int index, BenchVolunteer volunteer, string cookie, OfferLog offers,
    Action<CitySocket, Guid> onOffer) : IAsyncDisposable
{
    private LeanHub? _hub;
    private LeanHub? _spare;
    private Uri? _spareNode;
    private volatile bool _stopping;
    private readonly HashSet<Guid> _seen = [];

    public int Index => index;
    public BenchVolunteer Volunteer => volunteer;
    public string Cookie => cookie;

    /// <summary>The node this phone talks to now (claims go there too).</summary>
    public Uri Node { get; private set; } = null!;

    /// <summary>Set once, when the socket is back after its node died.</summary>
    public Resync? Resynced { get; private set; }

    /// <summary>Raised when the connection closes while the bench runs (its node died).</summary>
    public event Action<CitySocket>? Lost;

    /// <summary>
    /// Builds, without starting it, the connection this phone will open on <paramref name="node"/>. The page holds its
    /// connection object and starts it again after a loss; the bench has no load balancer in front of the two nodes, so
    /// it builds the object for the other node before the run instead of during the reconnection it measures.
    /// </summary>
    public void Prepare(Uri node)
    {
        _spare = Build(node);
        _spareNode = node;
    }

    public async Task ConnectAsync(Uri node)
    {
        Node = node;
        LeanHub hub;
        if (_spare is not null && _spareNode == node)
        {
            hub = _spare;
            _spare = null;
        }
        else
        {
            hub = Build(node);
        }
        try
        {
            await hub.StartAsync();
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }
        _hub = hub;
    }

    private LeanHub Build(Uri node)
    {
        var hub = new LeanHub(node, cookie);
        hub.On(LiveEvents.Offer, payload =>
        {
            var at = Stopwatch.GetTimestamp();
            var id = payload.GetProperty("requestId").GetGuid();
            lock (_seen)
                _seen.Add(id);
            offers.Add(id, index, at);
            // "This page showed the offer", as the page says for every offer (not waited for, as the page does not).
            _ = hub.InvokeAsync("Seen", id, "socket").ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
            onOffer(this, id);
        });
        hub.Closed += _ =>
        {
            if (!_stopping)
                Lost?.Invoke(this);
        };
        return hub;
    }

    /// <summary>Back on <paramref name="survivor"/>: connect (retrying), then read offers and jobs as the page does.</summary>
    public async Task ResyncAsync(Uri survivor)
    {
        string? error = null;
        // The connection that closed is let go once the phone is back, as the page's is.
        var dead = _hub;
        _hub = null;
        for (var attempt = 1; attempt <= 20; attempt++)
        {
            try
            {
                var begun = Stopwatch.GetTimestamp();
                await ConnectAsync(survivor);
                var connected = Stopwatch.GetTimestamp();
                var work = await _hub!.InvokeAsync("Resync");
                var ids = work.GetProperty("offers").EnumerateArray().Select(o => o.GetProperty("requestId").GetGuid()).ToArray();
                int notSeen;
                lock (_seen)
                    notSeen = ids.Count(id => !_seen.Contains(id));
                var done = Stopwatch.GetTimestamp();
                Resynced = new Resync(done, attempt, ids.Length, notSeen, true, null, Percentiles.Ms(begun, connected), Percentiles.Ms(connected, done));
                if (dead is not null)
                    await dead.DisposeAsync();
                return;
            }
            catch (Exception e) when (e is HttpRequestException or System.Net.WebSockets.WebSocketException or OperationCanceledException or InvalidOperationException or IOException or HubException)
            {
                error = e.GetType().Name + ": " + e.Message.Split('\n')[0];
                await Task.Delay(200);
            }
        }
        Resynced = new Resync(Stopwatch.GetTimestamp(), 20, 0, 0, false, error);
    }

    /// <summary>The hub's <c>Resync</c> on the connection that is up: the volunteer's record, offers and jobs.</summary>
    public Task<JsonElement> ReadWorkAsync() =>
        (_hub ?? throw new InvalidOperationException("Not connected.")).InvokeAsync("Resync");

    /// <summary>
    /// Does on the connection what the page does on it (the hub's <c>Claim</c>, <c>ReportPosition</c>: a LiveReply with the
    /// API's status); null when the connection is not up or drops while asking — the page then uses the API.
    /// </summary>
    public async Task<CallResult?> InvokeAsync(string method, object argument)
    {
        if (_hub is not { IsConnected: true } hub)
            return null;
        var start = Stopwatch.GetTimestamp();
        try
        {
            var reply = await hub.InvokeAsync(method, argument);
            return new CallResult((System.Net.HttpStatusCode)reply.GetProperty("status").GetInt32(), Percentiles.Ms(start, Stopwatch.GetTimestamp()), 0, null);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or TaskCanceledException or HubException
            or System.Net.WebSockets.WebSocketException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        if (_hub is not null)
            await _hub.DisposeAsync();
        if (_spare is not null)
            await _spare.DisposeAsync();
    }
}
