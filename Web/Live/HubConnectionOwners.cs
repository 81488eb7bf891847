using System.Collections.Concurrent;
using System.Text.Json;
using Outreach.Web.Auth;

namespace Outreach.Web.Live;

/// <summary>
/// Ties each live-hub connection token to the account that negotiated it. SignalR takes a connection's token (the
/// <c>id</c> of every long-polling and server-sent-events request, and of a WebSocket opened after negotiating) from
/// any signed-in caller: another account holding a token — from a proxy's access log, where these URLs end up — could
/// poll the connection and receive what its owner's groups receive, a coordinator's whole requests among it. The
/// negotiate answer's token is remembered with its account here (per web node: a connection's requests all come to the
/// node that negotiated it), and a request naming a token of another account, or one this node did not hand out or has
/// forgotten, is refused with 403 before SignalR sees it; the page then connects anew. A token is forgotten after
/// <see cref="Idle"/> without a request (a long poll comes back every 90 s; a WebSocket needs its token once).
/// </summary>
public sealed class HubConnectionOwners(RequestDelegate next, TimeProvider clock)
{
    /// <summary>The hub's path, as <c>MapHub</c> maps it.</summary>
    public const string HubPath = "/hubs/live";

    /// <summary>How long a token is remembered without a request naming it.</summary>
    public static readonly TimeSpan Idle = TimeSpan.FromMinutes(30);

    private readonly ConcurrentDictionary<string, Owner> _owners = new(StringComparer.Ordinal);
    private long _sweptAt;

    private sealed class Owner(Guid accountId, long seenAt)
    {
        public Guid AccountId { get; } = accountId;

        public long SeenAt = seenAt;
    }

    public async Task InvokeAsync(HttpContext http)
    {
        var path = http.Request.Path;
        if (path.Equals(HubPath + "/negotiate", StringComparison.OrdinalIgnoreCase) && HttpMethods.IsPost(http.Request.Method))
        {
            await NegotiateAsync(http);
            return;
        }
        if (path.Equals(HubPath, StringComparison.OrdinalIgnoreCase) && http.Request.Query["id"] is { Count: > 0 } ids)
        {
            var now = clock.GetTimestamp();
            if (!_owners.TryGetValue(ids.ToString(), out var owner) || http.User.Identity?.IsAuthenticated != true
                || owner.AccountId != http.User.AccountId() || clock.GetElapsedTime(Volatile.Read(ref owner.SeenAt), now) > Idle)
            {
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
                await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your connection.",
                    detail: "This connection was opened by another sign-in, or has ended; connect again.").ExecuteAsync(http);
                return;
            }
            Volatile.Write(ref owner.SeenAt, now);
        }
        await next(http);
    }

    /// <summary>Lets SignalR answer the negotiation, then remembers the token it handed out with the caller's account.</summary>
    private async Task NegotiateAsync(HttpContext http)
    {
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
        }
        if (http.Response.StatusCode == StatusCodes.Status200OK && http.User.Identity?.IsAuthenticated == true && TokenIn(buffer) is { } token)
        {
            Sweep();
            _owners[token] = new Owner(http.User.AccountId(), clock.GetTimestamp());
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, http.RequestAborted);
    }

    /// <summary>The connection token of a negotiate answer (<c>connectionToken</c>; <c>connectionId</c> in version 0).</summary>
    private static string? TokenIn(MemoryStream answer)
    {
        try
        {
            using var json = JsonDocument.Parse(answer.GetBuffer().AsMemory(0, (int)answer.Length));
            var root = json.RootElement;
            return root.TryGetProperty("connectionToken", out var token) && token.ValueKind == JsonValueKind.String ? token.GetString()
                : root.TryGetProperty("connectionId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Forgets the tokens idle past <see cref="Idle"/>, at most once a minute.</summary>
    private void Sweep()
    {
        var now = clock.GetTimestamp();
        var last = Interlocked.Read(ref _sweptAt);
        if (clock.GetElapsedTime(last, now) < TimeSpan.FromMinutes(1) || Interlocked.CompareExchange(ref _sweptAt, now, last) != last)
            return;
        foreach (var (token, owner) in _owners)
        {
            if (clock.GetElapsedTime(Volatile.Read(ref owner.SeenAt), now) > Idle)
                _owners.TryRemove(token, out _);
        }
    }
}

/// <summary>Wiring of <see cref="HubConnectionOwners"/>.</summary>
public static class HubConnectionOwnersExtensions
{
    /// <summary>After authentication (the caller's account is known), before the hub is mapped.</summary>
    public static IApplicationBuilder UseHubConnectionOwners(this IApplicationBuilder app) => app.UseMiddleware<HubConnectionOwners>();
}
