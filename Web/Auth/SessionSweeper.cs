using Microsoft.Extensions.Options;

namespace Outreach.Web.Auth;

/// <summary>
/// Every <see cref="SweepEvery"/>: closes hub connections whose session passed its absolute lifetime, and, after the
/// node may have missed revocations (its subscription was down, or a new registry did not know it), re-checks every
/// open connection against its account grain.
/// </summary>
public sealed class SessionSweeper(HubSessions hubs, AccountStatus status, IOptions<SessionOptions> options, TimeProvider clock, ILogger<SessionSweeper> log)
    : BackgroundService
{
    /// <summary>How often connections are swept.</summary>
    public static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(2);

    private int _recheckRequested;

    /// <summary>Asks the next sweep to re-check every open connection against its account.</summary>
    public void RecheckAll() => Interlocked.Exchange(ref _recheckRequested, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SweepEvery, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await SweepAsync();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task SweepAsync()
    {
        var recheck = Interlocked.Exchange(ref _recheckRequested, 0) == 1;
        var oldest = clock.GetUtcNow() - options.Value.AbsoluteLifetime;
        var ended = 0;
        foreach (var session in hubs.Snapshot())
        {
            try
            {
                if (session.IssuedAt < oldest || (recheck && !await status.IsCurrentAsync(session.Login, session.AccountId, session.Stamp, session.Session)))
                {
                    session.Context.Abort();
                    ended++;
                }
            }
            catch (Exception e)
            {
                log.LogWarning("Could not re-check a hub connection of {Account} ({Reason}); trying again at the next sweep", session.AccountId, e.GetType().Name);
                if (recheck)
                    RecheckAll();
            }
        }
        if (ended > 0)
            log.LogInformation("Closed {Count} hub connection(s) whose session ended", ended);
    }
}

/// <summary>
/// Where the live relay hands what concerns sessions: revocations pushed by account grains, and whether the node is
/// subscribed (so it can trust its cached account status) or may have missed some.
/// </summary>
public sealed class SessionRevocations(AccountStatus status, HubSessions hubs, SessionSweeper sweeper, ILogger<SessionRevocations> log)
{
    /// <summary>Applies a revocation: the account's status here is replaced and its outdated hub connections close.</summary>
    public void Revoke(Outreach.Accounts.SessionRevocation revocation)
    {
        status.Apply(revocation);
        var closed = hubs.EndSessions(revocation);
        log.LogInformation("Sessions of account {Account} revoked{Disabled}; {Count} hub connection(s) closed here",
            revocation.AccountId, revocation.Disabled ? " (disabled)" : "", closed);
    }

    /// <summary>The node renewed its subscription; <paramref name="mayHaveMissed"/> when it had been down or unknown to the registry.</summary>
    public void FeedUp(bool mayHaveMissed)
    {
        status.FeedUp(mayHaveMissed);
        if (mayHaveMissed)
            sweeper.RecheckAll();
    }

    /// <summary>The node could not renew its subscription.</summary>
    public void FeedDown() => status.FeedDown();
}
