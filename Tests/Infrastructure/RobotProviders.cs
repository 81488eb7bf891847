using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Outreach.Tests.Infrastructure;

/// <summary>How a robot in <see cref="RobotProviders"/> answers.</summary>
public enum RobotBehaviour
{
    /// <summary>Checks the post as the provider does; errcode 0 when it passes.</summary>
    Provider,
    /// <summary>HTTP 500 to every post.</summary>
    Http500,
    /// <summary>Never answers (until the providers are disposed).</summary>
    Hang,
}

/// <summary>One post a robot received, with what the provider would have answered.</summary>
public sealed record RobotPost(string Target, string Query, string RawBody, JsonObject? Body, string Text, int Errcode, string Errmsg);

/// <summary>
/// WeCom's and DingTalk's group-robot webhooks on a loopback port, checking each post the way the providers
/// document it: POST, <c>application/json</c>, a known key (WeCom <c>/cgi-bin/webhook/send?key=</c>) or token
/// (DingTalk <c>/robot/send?access_token=</c>), <c>msgtype</c> text or markdown with its fields (WeCom markdown
/// ≤ 4096 bytes, text ≤ 2048), and for a signed DingTalk robot <c>timestamp</c> (ms) within an hour of now and
/// <c>sign</c> = Base64(HMAC-SHA256(secret, timestamp + "\n" + secret)). Written from the providers' documents,
/// not from the product's code. Answers <c>{"errcode":…,"errmsg":…}</c> with HTTP 200, as they do.
/// </summary>
public sealed class RobotProviders : IAsyncDisposable
{
    private readonly LoopbackHttpServer _server;
    private readonly ConcurrentDictionary<string, (RobotBehaviour Behaviour, string? Secret)> _robots = new();
    private readonly List<RobotPost> _posts = [];
    private readonly List<HttpListenerContext> _held = [];
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RobotProviders()
    {
        _server = new LoopbackHttpServer(AnswerAsync);
    }

    public int Port => _server.Port;

    /// <summary>The host to list in <c>Robots__AllowedHosts</c>.</summary>
    public string Host => $"127.0.0.1:{Port}";

    /// <summary>A new WeCom group robot: its webhook.</summary>
    public (string Key, string Url) AddWeCom(RobotBehaviour behaviour = RobotBehaviour.Provider)
    {
        var key = Guid.NewGuid().ToString("D");
        _robots[key] = (behaviour, null);
        return (key, $"http://{Host}/cgi-bin/webhook/send?key={key}");
    }

    /// <summary>A new DingTalk custom robot: its webhook and, when signed, its secret.</summary>
    public (string Token, string Url, string? Secret) AddDingTalk(bool withSecret = true, RobotBehaviour behaviour = RobotBehaviour.Provider)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var secret = withSecret ? "SEC" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)) : null;
        _robots[token] = (behaviour, secret);
        return (token, $"http://{Host}/robot/send?access_token={token}", secret);
    }

    /// <summary>Every post to the robot with this key or token so far.</summary>
    public IReadOnlyList<RobotPost> PostsTo(string target)
    {
        lock (_posts)
            return [.. _posts.Where(p => p.Target == target)];
    }

    /// <summary>Every post so far, to any robot.</summary>
    public IReadOnlyList<RobotPost> All
    {
        get
        {
            lock (_posts)
                return [.. _posts];
        }
    }

    /// <summary>Waits for a post to the robot that matches, received before or after the call.</summary>
    public async Task<RobotPost> WaitForAsync(string target, Func<RobotPost, bool> match, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            Task arrived;
            lock (_posts)
            {
                if (_posts.FirstOrDefault(p => p.Target == target && match(p)) is { } post)
                    return post;
                arrived = _arrived.Task;
            }
            var left = deadline - DateTime.UtcNow;
            try
            {
                await arrived.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"The robot {target[..8]}… received no post with {what} within {limit.TotalSeconds} s; it received: "
                    + string.Join(" | ", PostsTo(target).Select(p => $"{p.Errcode} {p.Text}")));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _server.Stop();
        lock (_held)
        {
            foreach (var context in _held)
                context.Response.Abort();
        }
        await _server.DisposeAsync();
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        var raw = await reader.ReadToEndAsync();
        var path = request.Url!.AbsolutePath;
        var query = request.Url.Query;
        var target = path switch
        {
            "/cgi-bin/webhook/send" => request.QueryString["key"],
            "/robot/send" => request.QueryString["access_token"],
            _ => null,
        } ?? "";
        JsonObject? body = null;
        try
        {
            body = JsonNode.Parse(raw) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            // Refused below.
        }
        var (errcode, errmsg, text) = _robots.TryGetValue(target, out var robot)
            ? path == "/robot/send" ? CheckDingTalk(request, body, robot.Secret) : CheckWeCom(request, body)
            : (path == "/robot/send" ? 300001 : 93000, "invalid webhook url or token", "");
        TaskCompletionSource arrived;
        lock (_posts)
        {
            _posts.Add(new RobotPost(target, query, raw, body, text, errcode, errmsg));
            arrived = _arrived;
            _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        arrived.TrySetResult();
        switch (robot.Behaviour)
        {
            case RobotBehaviour.Hang:
                lock (_held)
                    _held.Add(context);
                return;
            case RobotBehaviour.Http500:
                context.Response.StatusCode = 500;
                context.Response.Close();
                return;
        }
        var answer = Encoding.UTF8.GetBytes(new JsonObject { ["errcode"] = errcode, ["errmsg"] = errmsg }.ToJsonString());
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.OutputStream.WriteAsync(answer);
        context.Response.Close();
    }

    private static (int, string, string) CheckWeCom(HttpListenerRequest request, JsonObject? body)
    {
        if (Common(request, body) is { } problem)
            return (40035, problem, "");
        return body!["msgtype"]?.GetValue<string>() switch
        {
            "markdown" when body["markdown"]?["content"]?.GetValue<string>() is { Length: > 0 } content =>
                Encoding.UTF8.GetByteCount(content) <= 4096 ? (0, "ok", content) : (40058, "markdown.content exceeds 4096 bytes", ""),
            "text" when body["text"]?["content"]?.GetValue<string>() is { Length: > 0 } content =>
                Encoding.UTF8.GetByteCount(content) <= 2048 ? (0, "ok", content) : (40058, "text.content exceeds 2048 bytes", ""),
            _ => (40008, "invalid message type or missing content", ""),
        };
    }

    private static (int, string, string) CheckDingTalk(HttpListenerRequest request, JsonObject? body, string? secret)
    {
        if (secret is not null)
        {
            var timestamp = request.QueryString["timestamp"];
            var sign = request.QueryString["sign"];
            if (!long.TryParse(timestamp, out var ms)
                || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - ms) > TimeSpan.FromHours(1).TotalMilliseconds)
                return (310000, "invalid timestamp", "");
            var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}\n{secret}")));
            if (sign != expected)
                return (310000, "sign not match", "");
        }
        if (Common(request, body) is { } problem)
            return (40035, problem, "");
        return body!["msgtype"]?.GetValue<string>() switch
        {
            "markdown" when body["markdown"]?["title"]?.GetValue<string>() is { Length: > 0 } title
                && body["markdown"]?["text"]?.GetValue<string>() is { Length: > 0 } text => (0, "ok", title + "\n" + text),
            "text" when body["text"]?["content"]?.GetValue<string>() is { Length: > 0 } content => (0, "ok", content),
            _ => (40035, "invalid msgtype or missing fields", ""),
        };
    }

    private static string? Common(HttpListenerRequest request, JsonObject? body)
    {
        if (request.HttpMethod != "POST")
            return "POST only";
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return "Content-Type must be application/json";
        return body is null ? "body is not a JSON object" : null;
    }
}
