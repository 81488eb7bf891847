using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Outreach.Contracts;

namespace Outreach.Bench.CityDay;

/// <summary>
/// A phone's connection to <c>/hubs/live</c> as the bench holds thousands of them: a WebSocket speaking SignalR's JSON
/// hub protocol (handshake, invocations with ids, their completions, the server's calls, pings both ways) and nothing
/// more. The server sees what the page's client sends; the bench spends on it what a WebSocket costs, not what a .NET
/// <c>HubConnection</c> adds around one (its own service provider, pipes, a timer each second per connection: on the
/// two cores the bench shares with the system it measures, that was the simulated phones' CPU, not the server's).
/// </summary>
public sealed class LeanHub : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1e;
    private static readonly byte[] Handshake = Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e");
    private static readonly byte[] Ping = Encoding.UTF8.GetBytes("{\"type\":6}\u001e");

    /// <summary>The client's ping interval (the server drops a client it has not heard from in 30 s).</summary>
    private static readonly TimeSpan PingEvery = TimeSpan.FromSeconds(15);

    /// <summary>One handler for every phone's upgrade request (the WebSocket itself is never pooled).</summary>
    private static readonly HttpMessageInvoker Invoker = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });

    private readonly Uri _url;
    private readonly string _cookie;
    private readonly Dictionary<string, Action<JsonElement>> _handlers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _sending = new(1, 1);
    private ClientWebSocket? _socket;
    private Timer? _pinger;
    private int _nextId;
    private int _closed;

    public LeanHub(Uri node, string cookie)
    {
        var ws = new UriBuilder(new Uri(node, "/hubs/live")) { Scheme = node.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" };
        _url = ws.Uri;
        _cookie = cookie;
    }

    /// <summary>Raised once when the connection ends after it was up (the node died, or it was disposed).</summary>
    public event Action<Exception?>? Closed;

    public bool IsConnected => _socket is { State: WebSocketState.Open } && Volatile.Read(ref _closed) == 0;

    /// <summary>What to do when the server calls <paramref name="target"/> (its first argument).</summary>
    public void On(string target, Action<JsonElement> handler) => _handlers[target] = handler;

    /// <summary>Connects, sends the handshake and waits for the server's answer to it.</summary>
    public async Task StartAsync(CancellationToken cancellation = default)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", _cookie);
        socket.Options.KeepAliveInterval = TimeSpan.Zero; // the hub protocol's pings keep it alive
        try
        {
            await socket.ConnectAsync(_url, Invoker, cancellation);
            await socket.SendAsync(Handshake, WebSocketMessageType.Text, endOfMessage: true, cancellation);
            var buffer = new ArrayBufferWriter<byte>(4096);
            var answer = await ReadMessageAsync(socket, buffer, cancellation)
                ?? throw new WebSocketException("The connection closed during the handshake.");
            using (var doc = JsonDocument.Parse(answer.First))
            {
                if (doc.RootElement.TryGetProperty("error", out var error))
                    throw new HubException("Handshake refused: " + error.GetString());
            }
            _socket = socket;
            _ = ReceiveAsync(socket, buffer, answer.After);
            var first = TimeSpan.FromMilliseconds(Random.Shared.Next((int)PingEvery.TotalMilliseconds));
            _pinger = new Timer(_ => _ = PingAsync(), null, first, PingEvery);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Calls <paramref name="target"/> on the hub and waits for its completion (its result; a hub error throws).</summary>
    public async Task<JsonElement> InvokeAsync(string target, params object?[] arguments)
    {
        if (!IsConnected)
            throw new InvalidOperationException("Not connected.");
        var id = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var message = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(message))
        {
            json.WriteStartObject();
            json.WriteNumber("type", 1);
            json.WriteString("invocationId", id);
            json.WriteString("target", target);
            json.WritePropertyName("arguments");
            JsonSerializer.Serialize(json, arguments, ContractJson.Options);
            json.WriteEndObject();
        }
        message.Write([RecordSeparator]);
        try
        {
            await SendAsync(message.WrittenMemory);
        }
        catch
        {
            _pending.TryRemove(id, out _);
            throw;
        }
        if (Volatile.Read(ref _closed) != 0 && _pending.TryRemove(id, out _))
            throw new IOException("The connection closed.");
        return await answer.Task;
    }

    private async Task PingAsync()
    {
        try
        {
            await SendAsync(Ping);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // the connection is going; its receive loop says so
        }
    }

    private async Task SendAsync(ReadOnlyMemory<byte> message)
    {
        var socket = _socket ?? throw new InvalidOperationException("Not connected.");
        await _sending.WaitAsync();
        try
        {
            await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>The server's messages until the connection ends; then every call still waiting fails and <see cref="Closed"/> is raised.</summary>
    private async Task ReceiveAsync(ClientWebSocket socket, ArrayBufferWriter<byte> buffer, ReadOnlyMemory<byte> carried)
    {
        Exception? error = null;
        try
        {
            var pending = carried.ToArray();
            while (true)
            {
                ReadOnlyMemory<byte> rest = pending;
                while (rest.Span.IndexOf(RecordSeparator) is var end and >= 0)
                {
                    Dispatch(rest.Span[..end]);
                    rest = rest[(end + 1)..];
                }
                var next = await ReadMessageAsync(socket, buffer, CancellationToken.None, rest);
                if (next is null)
                    break;
                Dispatch(next.Value.First.Span);
                pending = next.Value.After.ToArray();
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException or JsonException)
        {
            error = e;
        }
        if (Interlocked.Exchange(ref _closed, 1) != 0)
            return;
        _pinger?.Dispose();
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var waiting))
                waiting.TrySetException(new IOException("The connection closed.", error));
        }
        Closed?.Invoke(error);
    }

    /// <summary>
    /// Reads frames until one whole hub message (up to a record separator) is in hand: that message and whatever came
    /// after it in the same frames. Null when the server closed.
    /// </summary>
    private static async Task<(ReadOnlyMemory<byte> First, ReadOnlyMemory<byte> After)?> ReadMessageAsync(ClientWebSocket socket,
        ArrayBufferWriter<byte> buffer, CancellationToken cancellation, ReadOnlyMemory<byte> carried = default)
    {
        buffer.ResetWrittenCount();
        buffer.Write(carried.Span);
        while (true)
        {
            var end = buffer.WrittenSpan.IndexOf(RecordSeparator);
            if (end >= 0)
                return (buffer.WrittenMemory[..end], buffer.WrittenMemory[(end + 1)..]);
            var result = await socket.ReceiveAsync(buffer.GetMemory(4096), cancellation);
            if (result.MessageType == WebSocketMessageType.Close)
                return null;
            buffer.Advance(result.Count);
        }
    }

    private void Dispatch(ReadOnlySpan<byte> message)
    {
        if (message.IsEmpty)
            return;
        var reader = new Utf8JsonReader(message);
        using var doc = JsonDocument.ParseValue(ref reader);
        var root = doc.RootElement;
        switch (root.GetProperty("type").GetInt32())
        {
            case 1 when root.TryGetProperty("target", out var target)
                && _handlers.TryGetValue(target.GetString()!, out var handler)
                && root.GetProperty("arguments") is { ValueKind: JsonValueKind.Array } arguments:
                handler(arguments.GetArrayLength() > 0 ? arguments[0].Clone() : default);
                break;
            case 3 when _pending.TryRemove(root.GetProperty("invocationId").GetString()!, out var waiting):
                if (root.TryGetProperty("error", out var error))
                    waiting.TrySetException(new HubException(error.GetString()));
                else
                    waiting.TrySetResult(root.TryGetProperty("result", out var result) ? result.Clone() : default);
                break;
            case 7:
                throw new WebSocketException("The server closed the connection" +
                    (root.TryGetProperty("error", out var why) ? ": " + why.GetString() : "."));
        }
    }

    public async ValueTask DisposeAsync()
    {
        _pinger?.Dispose();
        if (_socket is { } socket)
        {
            try
            {
                if (socket.State == WebSocketState.Open)
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
            catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
            {
                // already gone
            }
            socket.Dispose();
        }
    }
}
