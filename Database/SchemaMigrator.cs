using System.Globalization;
using System.Net.Sockets;
using DbUp;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Outreach.Database;

/// <summary>
/// Brings the database schema up to date from the SQL scripts embedded under <c>Migrations/</c>, each applied
/// once (journal table <c>outreach_schema_migrations</c>) in its own transaction. Concurrent migrators, such as
/// two silos starting at once, take turns on a PostgreSQL advisory lock.
/// </summary>
public sealed class SchemaMigrator(string connectionString, ILogger<SchemaMigrator> log)
{
    /// <summary>The journal table recording which scripts ran.</summary>
    public const string JournalTable = "outreach_schema_migrations";

    /// <summary>The advisory lock key that serialises migrators ("outreach" in ASCII).</summary>
    public const long AdvisoryLockKey = 0x6f75_7472_6561_6368;

    private const string ScriptPrefix = "Outreach.Database.Migrations.";

    /// <summary>Applies every script not yet applied; throws when the database is unreachable or a script fails.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var lockConnection = new NpgsqlConnection(connectionString);
        await lockConnection.OpenAsync(cancellationToken);
        await ExecuteAsync(lockConnection, "SELECT pg_advisory_lock(@key)", cancellationToken);
        try
        {
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(connectionString)
                .WithScriptsEmbeddedInAssembly(typeof(SchemaMigrator).Assembly,
                    name => name.StartsWith(ScriptPrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
                .JournalToPostgresqlTable("public", JournalTable)
                .WithTransactionPerScript()
                .WithVariablesDisabled()
                .LogTo(log)
                .Build();
            var result = await Task.Run(upgrader.PerformUpgrade, cancellationToken);
            if (!result.Successful)
            {
                throw new InvalidOperationException(
                    $"Database migration {result.ErrorScript?.Name ?? "(unknown script)"} failed: {result.Error?.Message}",
                    result.Error);
            }
            foreach (var script in result.Scripts)
                log.LogInformation("Applied migration {Script}", script.Name[ScriptPrefix.Length..]);
        }
        finally
        {
            try
            {
                await ExecuteAsync(lockConnection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None);
            }
            catch (NpgsqlException e)
            {
                // The lock dies with the session, which disposing the broken connection ends.
                log.LogDebug(e, "Could not release the migration lock explicitly");
            }
        }
    }

    /// <summary>
    /// Like <see cref="MigrateAsync"/>, but while the database cannot be reached logs one line and tries again
    /// after <paramref name="retryDelay"/>, until cancelled. Errors in the scripts themselves are thrown.
    /// </summary>
    public async Task MigrateWithRetryAsync(TimeSpan retryDelay, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await MigrateAsync(cancellationToken);
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && UnreachableReason(e) is { } reason)
            {
                var target = new NpgsqlConnectionStringBuilder(connectionString);
                log.LogWarning("Database not reachable at {Host}:{Port}/{Database} ({Reason}); retrying in {Delay} s",
                    target.Host, target.Port, target.Database, reason,
                    retryDelay.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture));
            }
            await Task.Delay(retryDelay, cancellationToken);
        }
    }

    /// <summary>Why the database could not be reached, or null when the error is not about reaching it.</summary>
    internal static string? UnreachableReason(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg when IsConnectionProblem(pg.SqlState):
                    return pg.MessageText;
                case PostgresException:
                    return null;
                case SocketException socket:
                    return socket.SocketErrorCode switch
                    {
                        SocketError.ConnectionRefused => "connection refused",
                        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host not found",
                        SocketError.TimedOut => "timed out",
                        SocketError.NetworkUnreachable or SocketError.HostUnreachable => "network unreachable",
                        _ => socket.Message,
                    };
                case TimeoutException:
                    return "timed out";
                case EndOfStreamException:
                case IOException:
                    return "connection closed";
            }
        }
        return error is NpgsqlException npgsql && npgsql.IsTransient ? npgsql.Message : null;
    }

    // Class 08 connection exception, 28 invalid authorization, 3D000 no such database,
    // 53300 too many connections, 57P01-57P03 shutting down or starting up.
    private static bool IsConnectionProblem(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal)
        || sqlState.StartsWith("28", StringComparison.Ordinal)
        || sqlState is "3D000" or "53300" or "57P01" or "57P02" or "57P03";

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("key", AdvisoryLockKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
