using Microsoft.Extensions.Logging;
using Outreach.Accounts;
using Outreach.Files;
using Outreach.Grains.Live;
using Outreach.Grains.Storage;
using Outreach.Live;

namespace Outreach.Grains.Accounts;

/// <summary>Persisted state of a login.</summary>
[GenerateSerializer, Alias("Outreach.AccountState")]
public sealed class AccountState
{
    [Id(0)] public Account? Account { get; set; }
}

/// <summary>
/// One login, listed in the accounts directory after every write. The grain only stores; hashing and checking passwords is the web host's job. A change is written
/// before it is kept or answered (<see cref="StateCommit"/>). The grain owns the security stamp
/// (<see cref="SecurityStamps"/>): when it changes, the grain tells every live web node
/// (<see cref="ILiveObserver.EndSessionsAsync"/>, the nodes listed by the live registry) and answers once they have
/// acknowledged or <see cref="NotifyTimeout"/> has passed, so a revoked cookie is refused on the next request anywhere.
/// </summary>
public sealed class AccountGrain(
    [PersistentState("account", SiloSetup.StorageName)] IPersistentState<AccountState> state,
    TimeProvider clock,
    ILogger<AccountGrain> log)
    : Grain, IAccountGrain
{
    /// <summary>How long the grain waits for the registry and for each web node to take a revocation.</summary>
    public static readonly TimeSpan NotifyTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The most sessions an account lists as logged out at once; one more ends them all (a new stamp) rather than
    /// dropping one from the list, which would let it in again.
    /// </summary>
    public const int MaxEndedSessions = 200;

    /// <summary>
    /// A stored change whose web nodes were not all told (the registry could not list them, or be told who missed it):
    /// the change answered 503, and the next change, even one that leaves the stamp as it is (its retry), tells them.
    /// </summary>
    private bool _nodesOwed;

    public Task<Account?> GetAsync() => Task.FromResult(state.State.Account);

    public async Task<bool> CreateAsync(Account account)
    {
        if (state.State.Account is { } existing)
        {
            // A create retried after the first stopped before the directory: list it (idempotent).
            await ListAsync(existing);
            return false;
        }
        var stored = account with { SecurityStamp = SecurityStamps.After(null, account) };
        await state.CommitAsync(new AccountState { Account = stored }, this);
        await ListAsync(stored);
        return true;
    }

    public async Task<Account> UpsertAsync(Account account)
    {
        var existing = state.State.Account;
        var stamp = SecurityStamps.After(existing, account);
        var stored = account with
        {
            Id = existing?.Id ?? account.Id,
            SecurityStamp = stamp,
            // The sessions logged out stay refused (the caller's copy may not list them); a new stamp ends them anyway.
            EndedSessions = existing?.SecurityStamp == stamp ? existing.EndedSessions : null,
        };
        await state.CommitAsync(new AccountState { Account = stored }, this);
        // The web nodes first: if the directory's write then fails (503), the sessions have ended all the same.
        if (existing is not null && (existing.SecurityStamp != stored.SecurityStamp || _nodesOwed))
            await NotifyWebNodesAsync(stored);
        await ListAsync(stored);
        return stored;
    }

    public async Task<Account?> SettleAsync()
    {
        if (state.State.Account is not { } account)
            return null;
        await NotifyWebNodesAsync(account);
        await ListAsync(account);
        return account;
    }

    public async Task<Account?> RehashAsync(string expectedHash, string newHash)
    {
        if (state.State.Account is not { } existing || existing.PasswordHash != expectedHash)
            return null;
        var stored = existing with { PasswordHash = newHash };
        await state.CommitAsync(new AccountState { Account = stored }, this);
        return stored;
    }

    public async Task<Account?> EndSessionsAsync()
    {
        if (state.State.Account is not { } existing)
            return null;
        var stored = existing with { SecurityStamp = SecurityStamps.New(), EndedSessions = null };
        await state.CommitAsync(new AccountState { Account = stored }, this);
        await NotifyWebNodesAsync(stored);
        return stored;
    }

    public async Task<bool> EndSessionAsync(string sessionId, DateTimeOffset until)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        if (state.State.Account is not { } existing)
            return false;
        var now = clock.GetUtcNow();
        EndedSession[] current = [.. (existing.EndedSessions ?? []).Where(s => s.Until > now)];
        if (current.Any(s => s.Id == sessionId))
        {
            await NotifyWebNodesAsync(existing); // a retry: the first may have stopped before every node knew
            return true;
        }
        var stored = current.Length < MaxEndedSessions
            ? existing with { EndedSessions = [.. current, new EndedSession(sessionId, until)] }
            : existing with { SecurityStamp = SecurityStamps.New(), EndedSessions = null };
        await state.CommitAsync(new AccountState { Account = stored }, this);
        await NotifyWebNodesAsync(stored);
        return true;
    }

    /// <summary>The account's line in the accounts directory (what the administrator's list shows), after each write.</summary>
    private Task ListAsync(Account account) =>
        GrainFactory.GetGrain<IDirectoryGrain<AccountSummary>>(DirectoryShards.Accounts.KeyFor(account.Id)).UpsertAsync(AccountSummary.Of(account));

    /// <summary>
    /// Tells every live web node, in parallel, each within <see cref="NotifyTimeout"/>. A node that does not answer
    /// (hung, unreachable) is reported to the registry, which tells it at its next renewal (every second) to forget
    /// every account it knew; a node the registry no longer lists forgets them all anyway. When the registry cannot
    /// list the nodes, or be told who missed it, the change (stored already) answers 503 so its retry tells them again
    /// (until 2026-12-02 it answered success, and such a node kept its copy up to <c>Outreach:Sessions:StatusCacheFor</c>).
    /// </summary>
    private async Task NotifyWebNodesAsync(Account account)
    {
        var revocation = new SessionRevocation(this.GetPrimaryKeyString(), account.Id, account.SecurityStamp, account.Disabled,
            account.EndedSessions?.Select(s => s.Id).ToArray());
        ILiveObserver[] observers;
        try
        {
            observers = (await GrainFactory.LiveRegistry().GetObserversAsync()
                .WaitAsync(NotifyTimeout)).Observers;
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            // Stored, but no node told: the change answers 503, and its retry tells them (_nodesOwed).
            log.LogWarning("Could not list the web nodes to revoke the sessions of {Account} ({Reason})", revocation.AccountId, e.GetType().Name);
            _nodesOwed = true;
            throw;
        }
        var taken = await Task.WhenAll(observers.Select(async observer =>
        {
            try
            {
                await observer.EndSessionsAsync(revocation).WaitAsync(NotifyTimeout);
                return true;
            }
            catch (Exception e) when (e is TimeoutException or OrleansException or ObjectDisposedException)
            {
                return false;
            }
        }));
        ILiveObserver[] missed = [.. observers.Where((_, i) => !taken[i])];
        _nodesOwed = false;
        if (missed.Length == 0)
            return;
        log.LogWarning("{Failed} of {Count} web node(s) did not take the revocation of {Account}", missed.Length, observers.Length, revocation.AccountId);
        try
        {
            await GrainFactory.LiveRegistry().MissedRevocationAsync(missed).WaitAsync(NotifyTimeout);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            log.LogWarning("Could not tell the live registry that {Failed} web node(s) missed the revocation of {Account} ({Reason})",
                missed.Length, revocation.AccountId, e.GetType().Name);
            _nodesOwed = true;
            throw;
        }
    }
}
