using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Outreach.Database;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Database;

/// <summary>The migrations against a real PostgreSQL: idempotent, journalled once, safe to race, patient with a missing server.</summary>
[Category(TestCategory.Database)]
public sealed class SchemaMigratorTests
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(60);

    private static readonly string[] _providerQueryKeys =
    [
        // Clustering
        "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey", "InsertMembershipKey",
        "UpdateMembershipKey", "UpdateIAmAlivetimeKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
        // Grain persistence
        "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey",
        // Reminders
        "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "UpsertReminderRowKey", "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    [Fact]
    public async Task Migrations_AppliedTwice_LeaveTheSameSchema()
    {
        var connectionString = await TestDatabase.CreateAsync("migrate");
        try
        {
            await Migrator(connectionString).MigrateAsync(CancellationToken.None);
            var first = await SchemaDumpAsync(connectionString);

            await Migrator(connectionString).MigrateAsync(CancellationToken.None);

            Assert.Equal(first, await SchemaDumpAsync(connectionString));
        }
        finally
        {
            await TestDatabase.DropAsync(connectionString);
        }
    }

    [Fact]
    public async Task Migrations_ScriptsRunAgainPastTheJournal_LeaveTheSameSchema()
    {
        var connectionString = await TestDatabase.CreateAsync("rerun");
        try
        {
            await Migrator(connectionString).MigrateAsync(CancellationToken.None);
            var first = await SchemaDumpAsync(connectionString);

            await using (var connection = new NpgsqlConnection(connectionString))
            {
                await connection.OpenAsync();
                foreach (var (name, sql) in EmbeddedScripts())
                {
                    await using var command = new NpgsqlCommand(sql, connection);
                    await command.ExecuteNonQueryAsync();
                    Assert.False(string.IsNullOrWhiteSpace(name));
                }
            }

            Assert.Equal(first, await SchemaDumpAsync(connectionString));
        }
        finally
        {
            await TestDatabase.DropAsync(connectionString);
        }
    }

    [Fact]
    public async Task Migrations_AppliedTwice_JournalRecordsEachScriptOnce()
    {
        var connectionString = await TestDatabase.CreateAsync("journal");
        try
        {
            await Migrator(connectionString).MigrateAsync(CancellationToken.None);
            await Migrator(connectionString).MigrateAsync(CancellationToken.None);

            var journal = await QueryStringsAsync(connectionString,
                $"SELECT scriptname FROM {SchemaMigrator.JournalTable} ORDER BY scriptname");
            Assert.Equal(EmbeddedScripts().Select(s => s.Name).Order(StringComparer.Ordinal), journal);
        }
        finally
        {
            await TestDatabase.DropAsync(connectionString);
        }
    }

    [Fact]
    public async Task Migrations_TwoMigratorsRacingOnAFreshDatabase_BothSucceed()
    {
        var connectionString = await TestDatabase.CreateAsync("race");
        try
        {
            using var start = new ManualResetEventSlim();
            var racers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                start.Wait();
                await Migrator(connectionString).MigrateAsync(CancellationToken.None);
            })).ToArray();
            start.Set();

            await Task.WhenAll(racers).WaitAsync(_timeout);

            var journal = await QueryStringsAsync(connectionString, $"SELECT scriptname FROM {SchemaMigrator.JournalTable}");
            Assert.Equal(EmbeddedScripts().Count, journal.Count);
            Assert.Equal(journal.Count, journal.Distinct().Count());
        }
        finally
        {
            await TestDatabase.DropAsync(connectionString);
        }
    }

    [Fact]
    public async Task Migrations_RegisterEveryProviderQueryKeyOnce()
    {
        var connectionString = await TestDatabase.CreateAsync("keys");
        try
        {
            await Migrator(connectionString).MigrateAsync(CancellationToken.None);

            // Unquoted, as the providers ask for it: SELECT QueryKey, QueryText FROM OrleansQuery.
            var keys = await QueryStringsAsync(connectionString, "SELECT QueryKey FROM OrleansQuery WHERE QueryText <> ''");
            Assert.Equal(_providerQueryKeys.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
        }
        finally
        {
            await TestDatabase.DropAsync(connectionString);
        }
    }

    [Fact]
    public async Task MigrateWithRetry_WhileTheDatabaseIsMissing_LogsOneLineAndRetriesUntilItExists()
    {
        var connectionString = await TestDatabase.CreateAsync("retry");
        await TestDatabase.DropAsync(connectionString);
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var log = new ListLogger<SchemaMigrator>();
        try
        {
            var migration = new SchemaMigrator(connectionString, log)
                .MigrateWithRetryAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None);

            var warning = await log.FirstWarning.WaitAsync(_timeout);
            Assert.Equal(
                $"Database not reachable at {target.Host}:{target.Port}/{target.Database} (database \"{target.Database}\" does not exist); retrying in 0.2 s",
                warning.Message);
            Assert.Null(warning.Exception);
            Assert.False(migration.IsCompleted);

            await using (var connection = new NpgsqlConnection(TestDatabase.ServerConnectionString))
            {
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{target.Database}\"", connection);
                await create.ExecuteNonQueryAsync();
            }
            await migration.WaitAsync(_timeout);

            var journal = await QueryStringsAsync(connectionString, $"SELECT scriptname FROM {SchemaMigrator.JournalTable}");
            Assert.Equal(EmbeddedScripts().Count, journal.Count);
        }
        finally
        {
            await TestDatabase.DropAsync(connectionString);
        }
    }

    [Fact]
    public async Task MigrateWithRetry_WhenNothingListens_SaysConnectionRefusedUntilCancelled()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString)
        {
            Host = "127.0.0.1",
            Port = 1,
            Database = "outreach",
        }.ConnectionString;
        var log = new ListLogger<SchemaMigrator>();
        using var stop = new CancellationTokenSource();

        var migration = new SchemaMigrator(connectionString, log).MigrateWithRetryAsync(TimeSpan.FromSeconds(2), stop.Token);
        var warning = await log.FirstWarning.WaitAsync(_timeout);
        await stop.CancelAsync();

        Assert.Equal("Database not reachable at 127.0.0.1:1/outreach (connection refused); retrying in 2 s", warning.Message);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Null(warning.Exception);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => migration.WaitAsync(_timeout));
    }

    [Fact]
    public async Task MigrateWithRetry_WhenAScriptFails_Throws()
    {
        var connectionString = await TestDatabase.CreateAsync("broken");
        try
        {
            // A table of that name but the wrong shape makes the first script's successors fail for real.
            await using (var connection = new NpgsqlConnection(connectionString))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("CREATE TABLE orleansquery (something int)", connection);
                await command.ExecuteNonQueryAsync();
            }

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                Migrator(connectionString).MigrateWithRetryAsync(TimeSpan.FromMilliseconds(100), CancellationToken.None).WaitAsync(_timeout));
            Assert.Contains("0002_orleans_clustering.sql", error.Message, StringComparison.Ordinal);
            Assert.IsType<PostgresException>(error.InnerException);
        }
        finally
        {
            await TestDatabase.DropAsync(connectionString);
        }
    }

    private static SchemaMigrator Migrator(string connectionString) => new(connectionString, NullLogger<SchemaMigrator>.Instance);

    private static List<(string Name, string Sql)> EmbeddedScripts()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return (n, reader.ReadToEnd());
            })
            .ToList();
    }

    /// <summary>Columns, functions, indexes, constraints and the provider queries, one sorted line each.</summary>
    private static async Task<List<string>> SchemaDumpAsync(string connectionString) => await QueryStringsAsync(connectionString, """
        SELECT line FROM (
            SELECT format('column %s.%s %s %s default=%s', table_name, column_name, data_type, is_nullable, column_default) AS line
            FROM information_schema.columns WHERE table_schema = 'public'
            UNION ALL
            SELECT format('function %s: %s', p.oid::regprocedure, pg_get_functiondef(p.oid))
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
            UNION ALL
            SELECT format('index %s', indexdef) FROM pg_indexes WHERE schemaname = 'public'
            UNION ALL
            SELECT format('constraint %s %s', c.conrelid::regclass, pg_get_constraintdef(c.oid))
            FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'
            UNION ALL
            SELECT format('sequence %s %s %s', sequencename, data_type, cycle) FROM pg_sequences WHERE schemaname = 'public'
            UNION ALL
            SELECT format('query %s: %s', querykey, querytext) FROM orleansquery
        ) dump
        ORDER BY line
        """);

    private static async Task<List<string>> QueryStringsAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
            values.Add(reader.GetString(0));
        return values;
    }
}
