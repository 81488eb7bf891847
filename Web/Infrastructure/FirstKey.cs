using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Npgsql;

namespace Outreach.Web.Infrastructure;

/// <summary>
/// Makes sure the shared key ring has a key every web node uses, before this node serves anything. Without it, web
/// nodes started at once on a new database each made their own first key (the data-protection system creates one on
/// first use when the ring has none), and a node that had read the ring before the other's key was stored refused the
/// other's login cookies (401) until its ring was next read — up to a day. Under a PostgreSQL advisory lock, one node
/// at a time looks for a key in force and creates one only if there is none, so the others find it. Later keys are no
/// race: the system makes each successor days before it is needed, and every node reads it in time.
/// </summary>
public sealed class FirstKey(NpgsqlDataSource database, IKeyManager keys, TimeProvider clock, ILogger<FirstKey> log) : IHostedService
{
    /// <summary>The advisory lock's key: "outreach key ring" as a number.</summary>
    private const long LockKey = 0x6f75_7472_6b65_7931;

    /// <summary>How long a first key is in force (the data-protection system's own default).</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(90);

    /// <summary>How long a node waits before looking again when the database cannot be reached at start.</summary>
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    /// <summary>Waits out a database that is not up yet (as the silo's migrations do) rather than failing the start.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await EnsureAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException e) when (!cancellationToken.IsCancellationRequested)
            {
                log.LogWarning("The key ring could not be checked yet ({Reason}); trying again in {Retry}", e.Message, RetryAfter);
                await Task.Delay(RetryAfter, cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Creates a key in force now unless the ring has one; true when this call created it.</summary>
    public async Task<bool> EnsureAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = LockKey });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        var now = clock.GetUtcNow();
        var created = false;
        if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now))
        {
            var key = keys.CreateNewKey(now, now + Lifetime);
            log.LogInformation("Created the key ring's first key {KeyId}, in force until {Expires:yyyy-MM-dd}", key.KeyId, key.ExpirationDate);
            created = true;
        }
        // Committing releases the lock: the next node reads the ring with this key in it.
        await transaction.CommitAsync(cancellationToken);
        return created;
    }
}
