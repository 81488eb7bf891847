using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Outreach.Dispatch;
using Outreach.Database;
using Outreach.Grains.Dispatch;
using Outreach.Tests.Infrastructure;
using Outreach.Web.Dispatch;

namespace Outreach.Tests.Dispatch;

/// <summary>A fresh, migrated database with the ledger writer and the dispatch queries over it.</summary>
public sealed class LedgerDatabase : IAsyncDisposable
{
    private LedgerDatabase(string connectionString, NpgsqlDataSource dataSource)
    {
        ConnectionString = connectionString;
        DataSource = dataSource;
        Ledger = new RequestStore(dataSource);
        Queries = new DispatchQueries(dataSource, Options.Create(new CircleSetting()));
    }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public RequestStore Ledger { get; }

    public DispatchQueries Queries { get; }

    public static async Task<LedgerDatabase> CreateAsync(string purpose)
    {
        var connectionString = await TestDatabase.CreateAsync(purpose);
        await new SchemaMigrator(connectionString, NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
        return new LedgerDatabase(connectionString, NpgsqlDataSource.Create(connectionString));
    }

    /// <summary>Records every view, in order.</summary>
    public async Task RecordAsync(params HelpRequestView[] views)
    {
        foreach (var view in views)
            await Ledger.RecordLedgerRowAsync(view);
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await TestDatabase.DropAsync(ConnectionString);
    }
}

/// <summary>Tests over a <see cref="LedgerDatabase"/> of their own, created before and dropped after each test.</summary>
public abstract class LedgerDatabaseTests(string purpose) : IAsyncLifetime
{
    private LedgerDatabase? _database;

    protected LedgerDatabase Db => _database ?? throw new InvalidOperationException("Not initialised.");

    public async Task InitializeAsync()
    {
        _database = await LedgerDatabase.CreateAsync(purpose);
        await SeedAsync();
    }

    /// <summary>What every test of the class starts with, written after the database is made.</summary>
    protected virtual Task SeedAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_database is not null)
            await _database.DisposeAsync();
    }
}
