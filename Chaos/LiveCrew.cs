using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Outreach.Bench;
using Outreach.Contracts;
using Outreach.Model;

namespace Outreach.Chaos;

/// <summary>
/// A volunteer on duty as their phone would be: logged in, a SignalR connection to one web node, claiming some of
/// the offers that arrive and reporting EnRoute, OnSite, Completed. When the connection drops it connects to the
/// other node (then alternates, at most 40 tries ≈ 1 min) and resyncs with <c>GET /api/volunteers/me/offers</c>.
/// </summary>
public sealed class LiveVolunteer : IAsyncDisposable
{
    /// <summary>The share of offers a free volunteer goes for.</summary>
    private const double ClaimShare = 0.3;

    private readonly Api _api;
    private readonly Crew _crew;
    private readonly Random _random;
    private readonly ConcurrentDictionary<Guid, bool> _considered = new();
    private readonly List<(DateTimeOffset From, DateTimeOffset? To)> _offline = [];
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private HubConnection? _hub;
    private int _carrying;
    private volatile bool _stopping;

    public LiveVolunteer(BenchVolunteer volunteer, int node, int capacity, Api api, Crew crew, int seed)
    {
        Volunteer = volunteer;
        Node = node;
        Capacity = capacity;
        _api = api;
        _crew = crew;
        _random = new Random(seed);
    }

    public BenchVolunteer Volunteer { get; }
    public Guid Id => Volunteer.Id;
    public int Capacity { get; }

    /// <summary>The web node the hub connection is on now.</summary>
    public int Node { get; private set; }

    public int Reconnects { get; private set; }
    public int Resyncs { get; private set; }

    /// <summary>True when the volunteer had no hub connection at some moment of [from, to].</summary>
    public bool WasOffline(DateTimeOffset from, DateTimeOffset to)
    {
        lock (_offline)
            return _offline.Any(o => o.From <= to && (o.To ?? DateTimeOffset.MaxValue) >= from);
    }

    public bool Connected => _hub?.State == HubConnectionState.Connected;

    public async Task ConnectAsync(string login)
    {
        await _api.LoginAsync(login, Population.Password, Node);
        if (!await TryConnectAsync(Node))
            throw new InvalidOperationException($"{login} could not connect to the hub of web node {Node}");
    }

    private async Task<bool> TryConnectAsync(int node)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(_api.Node(node), "/hubs/live"), o => o.Cookies = _api.Cookies)
            .Build();
        hub.On<JsonElement>(LiveEvents.Offer, payload =>
        {
            var request = payload.GetProperty("requestId").GetGuid();
            _crew.Deliveries.Add(request, Id, Via.Socket);
            Consider(request, payload.GetProperty("category").GetString());
        });
        // A web node that may have missed events (its registration lapsed, a gateway was lost) says so: re-read, as the page does.
        hub.On(LiveEvents.Resync, () => { _ = Task.Run(ResyncAsync); });
        hub.Closed += _ => _stopping ? Task.CompletedTask : Task.Run(ReconnectAsync);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await hub.StartAsync(timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or InvalidOperationException or IOException)
        {
            await hub.DisposeAsync();
            return false;
        }
        var old = _hub;
        _hub = hub;
        Node = node;
        if (old is not null)
            await old.DisposeAsync();
        return true;
    }

    private async Task ReconnectAsync()
    {
        if (!await _connecting.WaitAsync(0))
            return;
        try
        {
            lock (_offline)
                _offline.Add((DateTimeOffset.UtcNow, null));
            var node = Node + 1;
            for (var attempt = 0; attempt < 40 && !_stopping; attempt++, node++)
            {
                if (await TryConnectAsync(node % _api.NodeCount))
                {
                    Reconnects++;
                    await ResyncAsync();
                    lock (_offline)
                        _offline[^1] = (_offline[^1].From, DateTimeOffset.UtcNow);
                    return;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
        finally
        {
            _connecting.Release();
        }
    }

    /// <summary>Reloads the open offers after a reconnect, as the volunteer page does.</summary>
    private async Task ResyncAsync()
    {
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var answer = await _api.GetAsync("resync", Node, "/api/volunteers/me/offers");
            if (answer.Is(HttpStatusCode.OK))
            {
                Resyncs++;
                foreach (var offer in answer.Json().EnumerateArray())
                {
                    var request = offer.GetProperty("requestId").GetGuid();
                    _crew.Deliveries.Add(request, Id, Via.Resync);
                    Consider(request, offer.GetProperty("category").GetString());
                }
                return;
            }
            if (!answer.Retryable)
                return;
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    private void Consider(Guid request, string? category)
    {
        if (_crew.Paused || category == IntakeLoad.Unclaimed.ToString() || !_considered.TryAdd(request, true))
            return;
        double roll;
        lock (_random)
            roll = _random.NextDouble();
        if (roll >= ClaimShare || Volatile.Read(ref _carrying) >= Capacity)
            return;
        _crew.Track(ClaimAndServeAsync(request));
    }

    private async Task ClaimAndServeAsync(Guid request)
    {
        await Task.Delay(Pause(0, 300));
        if (Interlocked.Increment(ref _carrying) > Capacity)
        {
            Interlocked.Decrement(ref _carrying);
            return;
        }
        try
        {
            var claim = await WithRetriesAsync("claim", $"/api/requests/{request}/claim", null);
            if (!claim.Is(HttpStatusCode.OK))
                return;
            _crew.Claims.Won(request, Id);
            foreach (var step in new[] { RequestStatus.EnRoute, RequestStatus.OnSite, RequestStatus.Completed })
            {
                await Task.Delay(Pause(300, 1000));
                var answer = await WithRetriesAsync("status", $"/api/requests/{request}/status", new StatusBody(step));
                if (!answer.Is(HttpStatusCode.OK))
                {
                    _crew.Claims.StuckAdvances.Add((request, step.ToString(), $"{answer.Status} {answer.Error ?? answer.Body}"));
                    return;
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _carrying);
        }
    }

    /// <summary>A call retried (up to 6 times, 1 s apart, switching node) while the answer is one a retry can cure.</summary>
    private async Task<Answer> WithRetriesAsync(string kind, string path, object? body)
    {
        Answer answer = new(null, "", null, "not sent");
        for (var attempt = 0; attempt < 6; attempt++)
        {
            var node = Node + attempt;
            answer = body is null
                ? await _api.SendAsync(kind, node, HttpMethod.Post, path, null)
                : await _api.PostJsonAsync(kind, node, path, body);
            if (!answer.Retryable)
                return answer;
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        return answer;
    }

    private TimeSpan Pause(int minMs, int maxMs)
    {
        lock (_random)
            return TimeSpan.FromMilliseconds(_random.Next(minMs, maxMs));
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        if (_hub is not null)
            await _hub.DisposeAsync();
        _api.Dispose();
        _connecting.Dispose();
    }
}
