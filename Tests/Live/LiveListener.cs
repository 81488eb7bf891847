using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Outreach.Contracts;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Live;

/// <summary>A real SignalR connection to <c>/hubs/live</c> that keeps every event it receives, in order.</summary>
public sealed class LiveListener : IAsyncDisposable
{
    /// <summary>The events the hub sends.</summary>
    public static readonly IReadOnlyList<string> EventNames = LiveEvents.All;

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly HubConnection _connection;
    private readonly string _name;
    private readonly List<LiveMessage> _received = [];
    private readonly List<(Func<LiveMessage, bool> Match, TaskCompletionSource<LiveMessage> Arrived)> _waiters = [];

    private LiveListener(string name, HubConnection connection)
    {
        _name = name;
        _connection = connection;
        foreach (var eventName in EventNames)
            _connection.On<JsonElement>(eventName, payload => Keep(new LiveMessage(eventName, payload)));
    }

    /// <summary>Every event received so far, in arrival order.</summary>
    public IReadOnlyList<LiveMessage> Received
    {
        get
        {
            lock (_received)
                return [.. _received];
        }
    }

    /// <summary>Connects to <paramref name="web"/> with the login cookies of <paramref name="cookies"/>.</summary>
    public static async Task<LiveListener> ConnectAsync(string name, WebNode web, CookieContainer cookies)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(web.Url, "/hubs/live"), o => o.Cookies = cookies)
            .Build();
        var listener = new LiveListener(name, connection);
        await connection.StartAsync();
        return listener;
    }

    /// <summary>Waits for the first event named <paramref name="eventName"/> that matches, received before or after the call.</summary>
    public async Task<LiveMessage> WaitForAsync(string eventName, Func<JsonElement, bool> match, string what, TimeSpan? timeout = null)
    {
        var arrived = new TaskCompletionSource<LiveMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool Matches(LiveMessage m) => m.Event == eventName && match(m.Payload);
        lock (_received)
        {
            if (_received.FirstOrDefault(Matches) is { } already)
                return already;
            _waiters.Add((Matches, arrived));
        }
        var limit = timeout ?? DefaultTimeout;
        try
        {
            return await arrived.Task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"{_name} did not receive {eventName} ({what}) within {limit.TotalSeconds} s; it received: [{Describe()}]");
        }
    }

    /// <summary>
    /// A coordinator's connection: waits for the request's view in a <c>requestsUpdated</c> (the requests' changes,
    /// gathered once a second) that matches, received before or after the call.
    /// </summary>
    public async Task<JsonElement> WaitForGatheredRequestAsync(Guid requestId, string what, Func<JsonElement, bool>? match = null, TimeSpan? timeout = null)
    {
        bool Matches(JsonElement request) => request.GetProperty("id").GetGuid() == requestId && (match?.Invoke(request) ?? true);
        var message = await WaitForAsync(LiveEvents.RequestsUpdated, p => GatheredRequests(p).Any(Matches), what, timeout);
        return GatheredRequests(message.Payload).First(Matches);
    }

    /// <summary>The requests of a <c>requestsUpdated</c> payload.</summary>
    public static IEnumerable<JsonElement> GatheredRequests(JsonElement payload) => payload.GetProperty("requests").EnumerateArray();

    /// <summary>Calls a hub method (e.g. <c>WatchMap</c>) on this connection.</summary>
    public Task InvokeAsync(string method, params object?[] arguments) => _connection.InvokeCoreAsync(method, arguments);

    /// <summary>Calls a hub method that answers (e.g. <c>Resync</c>) on this connection.</summary>
    public Task<T> InvokeAsync<T>(string method, params object?[] arguments) => _connection.InvokeCoreAsync<T>(method, arguments);

    /// <summary>The events received so far, for failure messages.</summary>
    public string Describe() => string.Join(", ", Received.Select(m => $"{m.Event} {m.Payload.GetRawText()}"));

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();

    private void Keep(LiveMessage message)
    {
        List<TaskCompletionSource<LiveMessage>> done = [];
        lock (_received)
        {
            _received.Add(message);
            foreach (var waiter in _waiters.Where(w => w.Match(message)).ToList())
            {
                _waiters.Remove(waiter);
                done.Add(waiter.Arrived);
            }
        }
        foreach (var arrived in done)
            arrived.TrySetResult(message);
    }
}
