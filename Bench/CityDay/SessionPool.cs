using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Outreach.Contracts;

namespace Outreach.Bench.CityDay;

/// <summary>The answer to one call: status, milliseconds, bytes of the body.</summary>
public readonly record struct CallResult(HttpStatusCode? Status, double Ms, long Bytes, string? Error)
{
    public bool Is(HttpStatusCode status) => Status == status;
}

/// <summary>
/// Thousands of logged-in users over one pool of connections: each user is the value of its session cookie, sent
/// as a header (no cookie jar and no connection per user, as thousands of phones behind a load balancer would look).
/// </summary>
public sealed class SessionPool : IDisposable
{
    private readonly HttpClient _http;

    public SessionPool(int connectionsPerNode)
    {
        _http = new HttpClient(new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = connectionsPerNode,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        })
        { Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>Logs in at <paramref name="node"/>; returns the <c>Cookie</c> header value of the session.</summary>
    public async Task<string> LoginAsync(Uri node, string login, string password)
    {
        using var response = await _http.PostAsync(new Uri(node, "/api/auth/login"),
            JsonContent.Create(new LoginRequest(login, password), options: ContractJson.Options));
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"login {login}: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];
        return string.Join("; ", cookies.Select(c => c.Split(';', 2)[0]));
    }

    /// <summary>Sends one call as the session <paramref name="cookie"/>; the body is read (and counted) whole.</summary>
    public async Task<CallResult> SendAsync(HttpMethod method, Uri node, string path, string cookie, object? body = null)
    {
        var sent = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(method, new Uri(node, path))
            {
                Content = body is null ? null : JsonContent.Create(body, options: ContractJson.Options),
            };
            request.Headers.TryAddWithoutValidation("Cookie", cookie);
            using var response = await _http.SendAsync(request);
            var bytes = (await response.Content.ReadAsByteArrayAsync()).LongLength;
            return new CallResult(response.StatusCode, Percentiles.Ms(sent, Stopwatch.GetTimestamp()), bytes, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new CallResult(null, Percentiles.Ms(sent, Stopwatch.GetTimestamp()), 0, e.GetType().Name);
        }
    }

    /// <summary>A GET whose body is wanted (the map's snapshot pages): status, time, the text.</summary>
    public async Task<(HttpStatusCode Status, double Ms, string Body)> GetTextAsync(Uri node, string path, string cookie)
    {
        var sent = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(node, path));
        request.Headers.TryAddWithoutValidation("Cookie", cookie);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, Percentiles.Ms(sent, Stopwatch.GetTimestamp()), text);
    }

    /// <summary>A connection to <paramref name="node"/>'s <c>/hubs/live</c> as the session <paramref name="cookie"/> (WebSockets, no negotiation), not started.</summary>
    public static HubConnection Hub(Uri node, string cookie) => new HubConnectionBuilder()
        .WithUrl(new Uri(node, "/hubs/live"), o =>
        {
            o.Transports = HttpTransportType.WebSockets;
            o.SkipNegotiation = true;
            o.Headers["Cookie"] = cookie;
        })
        .Build();

    public void Dispose() => _http.Dispose();
}
