using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;
using Outreach.Accounts;

namespace Outreach.Web.Auth;

/// <summary>
/// This web node's open hub connections, by account, so a revocation can close them: a SignalR connection is
/// authenticated once, when it opens, and would otherwise outlive a disabled account or a changed password.
/// Filled by <see cref="SessionHubFilter"/>; closed by <see cref="EndSessions"/> (a pushed revocation) and by
/// <see cref="SessionSweeper"/> (absolute lifetime, and re-checks after the node may have missed revocations).
/// </summary>
public sealed class HubSessions
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<string, HubSession>> _byAccount = new(StringComparer.Ordinal);

    /// <summary>How many connections are open.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
                return _byAccount.Values.Sum(c => c.Count);
        }
    }

    /// <summary>Files a connection that just opened; null when its user carries no session claims.</summary>
    public HubSession? Add(HubCallerContext context)
    {
        if (HubSession.Of(context) is not { } session)
            return null;
        lock (_gate)
        {
            if (!_byAccount.TryGetValue(session.AccountKey, out var connections))
                _byAccount[session.AccountKey] = connections = new(StringComparer.Ordinal);
            connections[context.ConnectionId] = session;
        }
        return session;
    }

    /// <summary>Forgets a connection that closed.</summary>
    public void Remove(HubCallerContext context)
    {
        if (context.User?.FindFirstValue(OutreachClaims.Login) is not { } login)
            return;
        var key = AccountKeys.For(login);
        lock (_gate)
        {
            if (_byAccount.TryGetValue(key, out var connections) && connections.Remove(context.ConnectionId) && connections.Count == 0)
                _byAccount.Remove(key);
        }
    }

    /// <summary>Closes the account's connections that the revocation ends (an older stamp, the account disabled, or a session logged out); returns how many.</summary>
    public int EndSessions(SessionRevocation revocation)
    {
        List<HubSession> ended;
        lock (_gate)
        {
            if (!_byAccount.TryGetValue(revocation.AccountKey, out var connections))
                return 0;
            ended = [.. connections.Values.Where(s => revocation.Disabled || s.AccountId != revocation.AccountId
                || !string.Equals(s.Stamp, revocation.SecurityStamp, StringComparison.Ordinal)
                || (s.Session is not null && revocation.EndedSessions?.Contains(s.Session, StringComparer.Ordinal) == true))];
        }
        foreach (var session in ended)
            session.Context.Abort();
        return ended.Count;
    }

    /// <summary>Every open connection at this moment.</summary>
    public IReadOnlyList<HubSession> Snapshot()
    {
        lock (_gate)
            return [.. _byAccount.Values.SelectMany(c => c.Values)];
    }
}

/// <summary>One open hub connection and the session it was opened with.</summary>
public sealed record HubSession(string AccountKey, string Login, Guid AccountId, string Stamp, DateTimeOffset IssuedAt, HubCallerContext Context,
    string? Session = null)
{
    /// <summary>The connection's session, or null when its user lacks the claims (not signed in by us).</summary>
    public static HubSession? Of(HubCallerContext context)
    {
        var user = context.User;
        if (user?.FindFirstValue(OutreachClaims.Login) is not { } login
            || !Guid.TryParse(user.FindFirstValue(System.Security.Claims.ClaimTypes.NameIdentifier), out var accountId)
            || user.FindFirstValue(OutreachClaims.Stamp) is not { } stamp
            || !long.TryParse(user.FindFirstValue(OutreachClaims.IssuedAt), NumberStyles.None, CultureInfo.InvariantCulture, out var issued))
        {
            return null;
        }
        return new HubSession(AccountKeys.For(login), login, accountId, stamp, DateTimeOffset.FromUnixTimeSeconds(issued), context,
            user.FindFirstValue(OutreachClaims.Session));
    }
}

/// <summary>Files every hub connection in <see cref="HubSessions"/> while it is open (a global hub filter).</summary>
/// <remarks>
/// A connection turned away here never reaches the hub's <c>OnConnectedAsync</c>, yet SignalR still calls
/// <c>OnDisconnectedAsync</c> when it closes: that call stops here too, or the hub would undo what it never did (its
/// count of a volunteer's connections on this node, which decides whether the relay sends them offers).
/// </remarks>
public sealed class SessionHubFilter(HubSessions sessions, AccountStatus status) : IHubFilter
{
    private static readonly object Admitted = new();

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        if (sessions.Add(context.Context) is not { } session)
        {
            // Authenticated, but not by a session of ours (no stamp): it could never be revoked, so it may not stay.
            context.Context.Abort();
            return;
        }
        // The client may hear "connected" before this runs. A revocation applied in between found nothing to close
        // here, so the session is checked again now that it is filed: a revocation is applied to the status before it
        // closes connections, so either it saw this one, or this check sees it.
        bool current;
        try
        {
            current = await status.IsCurrentAsync(session.Login, session.AccountId, session.Stamp, session.Session);
        }
        catch
        {
            // Not known to be current (the account grain did not answer): the connection fails and the client retries.
            sessions.Remove(context.Context);
            throw;
        }
        if (!current)
        {
            sessions.Remove(context.Context);
            context.Context.Abort();
            return;
        }
        context.Context.Items[Admitted] = true;
        try
        {
            await next(context);
        }
        catch
        {
            // SignalR ends a connection whose OnConnectedAsync threw without calling OnDisconnectedAsync.
            sessions.Remove(context.Context);
            throw;
        }
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        sessions.Remove(context.Context);
        if (context.Context.Items.ContainsKey(Admitted))
            await next(context, exception);
    }
}
