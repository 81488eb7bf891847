using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Outreach.Contracts;

namespace Outreach.Chaos;

/// <summary>An answer to one call: status (null when none came), body, and whether it carried Retry-After.</summary>
public sealed record Answer(int? Status, string Body, TimeSpan? RetryAfter, string? Error)
{
    public bool Is(HttpStatusCode code) => Status == (int)code;

    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.Clone();
    }

    /// <summary>Worth retrying as a real client would: no answer, a timeout, or a 5xx.</summary>
    public bool Retryable => Status is null or >= 500 or 408;
}

/// <summary>
/// One logged-in user of the API, able to call either web node with the same cookie (the data-protection keys
/// are shared, so a cookie of one node is good on the other). Every call lands in the <see cref="CallLog"/>.
/// </summary>
public sealed class Api : IDisposable
{
    /// <summary>A call that takes longer than this is abandoned (and counted as hung when it passes 10 s).</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(12);

    private readonly OutreachClient[] _clients;
    private readonly IReadOnlyList<Uri> _nodes;
    private readonly CallLog _log;

    public Api(IReadOnlyList<Uri> nodes, CallLog log)
    {
        _nodes = nodes;
        _log = log;
        // One client a node, one cookie jar for all; each call has its own deadline (CallTimeout).
        var options = new OutreachClientOptions { Timeout = Timeout.InfiniteTimeSpan, MaxConnectionsPerServer = 64, Cookies = Cookies };
        _clients = [.. nodes.Select(node => new OutreachClient(node, options))];
    }

    public CookieContainer Cookies { get; } = new();

    public int NodeCount => _nodes.Count;

    public Uri Node(int node) => _nodes[node % _nodes.Count];

    /// <summary>Logs in on web node <paramref name="node"/>; throws when the login is refused.</summary>
    public async Task LoginAsync(string login, string password, int node = 0)
    {
        for (var attempt = 1; ; attempt++)
        {
            var answer = await CallAsync("login", node, (client, token) => client.LoginAsync(login, password, token));
            if (answer.Is(HttpStatusCode.OK))
                return;
            if (!answer.Retryable || attempt == 5)
                throw new InvalidOperationException($"login as {login}: {answer.Status} {answer.Error ?? answer.Body}");
            await Task.Delay(TimeSpan.FromSeconds(attempt));
        }
    }

    public Task<Answer> GetAsync(string kind, int node, string path) => SendAsync(kind, node, HttpMethod.Get, path, null);

    public Task<Answer> PostJsonAsync(string kind, int node, string path, object body) =>
        SendAsync(kind, node, HttpMethod.Post, path, OutreachClient.JsonBody(body));

    /// <summary>The hotline's intake under <paramref name="idempotencyKey"/>.</summary>
    public Task<Answer> PostRequestAsync(string kind, int node, NewRequestBody body, string idempotencyKey) =>
        CallAsync(kind, node, (client, token) => client.PostRequestAsync(body, idempotencyKey, token));

    /// <summary>Sends raw text with a content type of our choosing (or none): the hostile inputs.</summary>
    public Task<Answer> SendRawAsync(string kind, int node, HttpMethod method, string path, string text, string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        if (contentType is not null)
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return SendAsync(kind, node, method, path, content);
    }

    public Task<Answer> SendAsync(string kind, int node, HttpMethod method, string path, HttpContent? content) =>
        CallAsync(kind, node, (client, token) => client.SendAsync(method, path, content, null, token));

    /// <summary>One call on web node <paramref name="node"/> within <see cref="CallTimeout"/>, logged with its outcome.</summary>
    private async Task<Answer> CallAsync(string kind, int node, Func<OutreachClient, CancellationToken, Task<OutreachAnswer>> call)
    {
        var start = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        Answer answer;
        try
        {
            using var timeout = new CancellationTokenSource(CallTimeout);
            var reply = await call(_clients[node % _clients.Length], timeout.Token);
            answer = new Answer((int)reply.Status, reply.Body, reply.RetryAfter, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException or IOException)
        {
            answer = new Answer(null, "", null, e is OperationCanceledException ? $"no answer within {CallTimeout.TotalSeconds:0} s" : e.GetType().Name + ": " + e.Message);
        }
        _log.Add(new Call(kind, node % _nodes.Count, start, start + watch.Elapsed, answer.Status, answer.RetryAfter is not null, answer.Error));
        return answer;
    }

    public void Dispose()
    {
        foreach (var client in _clients)
            client.Dispose();
    }
}
