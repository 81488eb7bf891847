using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Outreach.Accounts;
using Outreach.Cluster;

namespace Outreach.Web.Auth;

/// <summary>
/// Whether a session may still act: checked on every authenticated request (the cookie's <c>OnValidatePrincipal</c>)
/// and when a hub connection is re-checked. The session's stamp must equal the account's, the id must match, the
/// account must not be disabled and the session must not have logged out.
/// </summary>
/// <remarks>
/// <para>The hot path is a memory look-up: a node keeps each account's (id, stamp, disabled) for
/// <see cref="SessionOptions.StatusCacheFor"/>. When a stamp changes, the account grain pushes a
/// <see cref="SessionRevocation"/> to every live web node and waits for their answers before it answers the change
/// (<see cref="Apply"/>), so the next request anywhere already sees the new stamp.</para>
/// <para>The node trusts its copies only while it is subscribed to the live registry (<see cref="FeedUp"/>,
/// <see cref="FeedDown"/>): unsubscribed, it might miss a revocation, so every request reads the grain; when the
/// registry did not know the node (a fresh registry activation) or the subscription was down, it forgets every copy.</para>
/// </remarks>
public sealed class AccountStatus(IGrainFactory grains, IOptions<SessionOptions> options, ILogger<AccountStatus> log) : IDisposable
{
    private readonly MemoryCache _known = new(new MemoryCacheOptions { SizeLimit = 100_000 });
    private readonly Lock _gate = new();
    private long _revocations;
    private volatile bool _feedUp;

    /// <summary>
    /// True while the account exists, has this id and stamp, is not disabled and the session did not log out. When the
    /// account grain cannot answer within <see cref="SessionOptions.AccountCheckTimeout"/> (its silo just died and the cluster has not noticed
    /// yet) and the node has no copy it trusts (none, or the node's revocation feed is down), the fault is thrown: the
    /// request answers 503 with Retry-After and the session stays signed in for its retry. Letting it through would admit
    /// a disabled account or a session revoked meanwhile.
    /// </summary>
    public async Task<bool> IsCurrentAsync(string login, Guid accountId, string stamp, string? session = null)
    {
        var key = AccountKeys.For(login);
        _known.TryGetValue(key, out Snapshot? known);
        if (known is null || !_feedUp)
        {
            var revocationsBefore = Interlocked.Read(ref _revocations);
            Account? account;
            try
            {
                account = await grains.Get<IAccountGrain>(key).GetAsync().WaitAsync(options.Value.AccountCheckTimeout);
            }
            catch (Exception e) when (e is TimeoutException or OrleansException or SiloUnavailableException)
            {
                log.LogWarning("Could not check login {Login} ({Reason}); answering that a retry is needed", login, e.GetType().Name);
                throw;
            }
            known = account is null ? Snapshot.Gone
                : new Snapshot(account.Id, account.SecurityStamp, account.Disabled, account.EndedSessions?.Select(s => s.Id).ToArray());
            // A revocation that arrived while the grain was read may be newer than what was read: keep it, not the read.
            lock (_gate)
            {
                if (Interlocked.Read(ref _revocations) == revocationsBefore)
                    Remember(key, known);
            }
        }
        return known.Admits(accountId, stamp, session);
    }

    /// <summary>Takes a revocation pushed by the account grain: what the node knows of the account is replaced.</summary>
    public void Apply(SessionRevocation revocation)
    {
        lock (_gate)
        {
            Interlocked.Increment(ref _revocations);
            Remember(revocation.AccountKey, new Snapshot(revocation.AccountId, revocation.SecurityStamp, revocation.Disabled,
                revocation.EndedSessions));
        }
    }

    /// <summary>Forgets what is remembered of <paramref name="login"/> (after a change made through this node).</summary>
    public void Forget(string login) => _known.Remove(AccountKeys.For(login));

    /// <summary>The node is subscribed to revocations; <paramref name="mayHaveMissed"/>: forget every copy first.</summary>
    public void FeedUp(bool mayHaveMissed)
    {
        if (mayHaveMissed)
        {
            lock (_gate)
            {
                Interlocked.Increment(ref _revocations);
                _known.Clear();
            }
        }
        _feedUp = true;
    }

    /// <summary>The node could not renew its subscription: until it can, every check reads the grain.</summary>
    public void FeedDown() => _feedUp = false;

    public void Dispose() => _known.Dispose();

    private void Remember(string key, Snapshot snapshot)
    {
        var keepFor = options.Value.StatusCacheFor;
        if (keepFor > TimeSpan.Zero)
            _known.Set(key, snapshot, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = keepFor, Size = 1 });
    }

    /// <summary>What the node knows of an account; <paramref name="Ended"/>: its sessions logged out (a few at most).</summary>
    private sealed record Snapshot(Guid Id, string Stamp, bool Disabled, string[]? Ended = null)
    {
        public static readonly Snapshot Gone = new(Guid.Empty, "", true);

        public bool Admits(Guid accountId, string stamp, string? session) =>
            !Disabled && Id == accountId && string.Equals(Stamp, stamp, StringComparison.Ordinal)
            && (session is null || Ended is null || !Ended.Contains(session, StringComparer.Ordinal));
    }
}
