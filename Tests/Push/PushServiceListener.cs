using System.Collections.Concurrent;
using System.Net;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Push;

/// <summary>One POST a push service received: the path (which device), the headers that matter and the body.</summary>
public sealed record PushDelivery(string Path, string? Authorization, string? ContentEncoding, string? Ttl, string? Urgency, string? Topic, byte[] Body);

/// <summary>
/// A push service on a loopback port (HttpListener): it keeps every message posted to <c>/push/{device}</c> and
/// answers what the test says for that device — 201 Created by default, or another status, and it can hold its
/// answer until released (a push service that hangs).
/// </summary>
public sealed class PushServiceListener : IAsyncDisposable
{
    private readonly LoopbackHttpServer _server;
    private readonly List<PushDelivery> _received = [];
    private readonly ConcurrentDictionary<string, HttpStatusCode> _answers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _holds = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _arrived = new(0);

    public PushServiceListener()
    {
        _server = new LoopbackHttpServer(AnswerAsync);
    }

    public int Port => _server.Port;

    /// <summary>The origin push endpoints of this service start with (the VAPID audience).</summary>
    public string Origin => $"http://127.0.0.1:{Port}";

    /// <summary>A new device's endpoint on this service.</summary>
    public string NewEndpoint() => $"{Origin}/push/{Guid.NewGuid():N}";

    /// <summary>The device at <paramref name="endpoint"/> answers <paramref name="status"/> from now on.</summary>
    public void Answer(string endpoint, HttpStatusCode status) => _answers[new Uri(endpoint).AbsolutePath] = status;

    /// <summary>The device at <paramref name="endpoint"/> holds its answers until the returned source is completed.</summary>
    public TaskCompletionSource Hold(string endpoint)
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _holds[new Uri(endpoint).AbsolutePath] = hold;
        return hold;
    }

    /// <summary>Every message posted to <paramref name="endpoint"/> so far.</summary>
    public IReadOnlyList<PushDelivery> To(string endpoint)
    {
        var path = new Uri(endpoint).AbsolutePath;
        lock (_received)
            return [.. _received.Where(r => r.Path == path)];
    }

    /// <summary>Waits until a message to <paramref name="endpoint"/> matches (the decrypted check is the caller's).</summary>
    public async Task<PushDelivery> WaitForAsync(string endpoint, Func<PushDelivery, bool> match, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            if (To(endpoint).FirstOrDefault(match) is { } found)
                return found;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"The push service did not receive {what}; it received {To(endpoint).Count} message(s) for that device.");
            await _arrived.WaitAsync(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        await request.InputStream.CopyToAsync(body);
        var path = request.Url!.AbsolutePath;
        lock (_received)
        {
            _received.Add(new PushDelivery(path, request.Headers["Authorization"], request.Headers["Content-Encoding"],
                request.Headers["TTL"], request.Headers["Urgency"], request.Headers["Topic"], body.ToArray()));
        }
        _arrived.Release();
        if (_holds.TryGetValue(path, out var hold))
            await hold.Task;
        var status = request.HttpMethod != "POST" ? HttpStatusCode.MethodNotAllowed
            : _answers.TryGetValue(path, out var answer) ? answer : HttpStatusCode.Created;
        context.Response.StatusCode = (int)status;
        if (status == HttpStatusCode.Created)
            context.Response.Headers["Location"] = $"{Origin}/message/{Guid.NewGuid():N}";
        context.Response.Close();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var hold in _holds.Values)
            hold.TrySetResult();
        await _server.DisposeAsync();
        _arrived.Dispose();
    }
}
