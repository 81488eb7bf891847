using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.TestingHost;
using Outreach.Database;

namespace Outreach.Tests.Infrastructure;

/// <summary>
/// One in-process silo on a database of its own (created and migrated first, dropped at the end), for grain tests
/// that configure the silo their own way (recording channels, fault filters). The silo has the clock and a data
/// source on that database; <c>configure</c> adds the rest, given the connection string.
/// </summary>
public sealed class OwnDatabaseCluster : IAsyncDisposable
{
    private InProcessTestCluster? _cluster;

    private OwnDatabaseCluster(string connectionString) => ConnectionString = connectionString;

    public string ConnectionString { get; }

    public IGrainFactory Grains => (_cluster ?? throw new InvalidOperationException("The cluster is not running.")).Client;

    public static async Task<OwnDatabaseCluster> StartAsync(string databasePrefix, Action<ISiloBuilder, string> configure)
    {
        var own = new OwnDatabaseCluster(await TestDatabase.CreateAsync(databasePrefix));
        try
        {
            await new SchemaMigrator(own.ConnectionString, NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
            var builder = new InProcessTestClusterBuilder(1);
            var connectionString = own.ConnectionString;
            builder.ConfigureSilo((_, silo) =>
            {
                silo.Services.AddSingleton(TimeProvider.System);
                silo.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
                configure(silo, connectionString);
            });
            own._cluster = builder.Build();
            await own._cluster.DeployAsync();
            return own;
        }
        catch
        {
            await own.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is { } cluster)
        {
            _cluster = null;
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
        await TestDatabase.DropAsync(ConnectionString);
    }
}
