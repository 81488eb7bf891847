using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;
using Orleans.TestingHost;
using Outreach.Database;
using Outreach.Grains;
using Outreach.Grains.Dispatch;
using Outreach.ServiceDefaults;

namespace Outreach.Tests.Infrastructure;

/// <summary>
/// An in-process Orleans cluster (test membership) whose grain storage <c>"outreach"</c> and reminders are the
/// AdoNet providers on a fresh, migrated PostgreSQL database. <see cref="RestartAsync"/> stops the whole cluster
/// and starts a new one on the same database and ServiceId, as a redeployment would.
/// </summary>
public sealed class PostgresClusterFixture : IAsyncLifetime
{
    /// <summary>The storage provider name the project's grains use.</summary>
    public const string StorageName = SiloSetup.StorageName;

    private InProcessTestCluster? _cluster;

    /// <summary>The fixture's own database.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>The ServiceId that scopes grain state and reminders; the same across restarts.</summary>
    public string ServiceId { get; } = "outreach-test-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The running cluster.</summary>
    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not running.");

    /// <summary>A client of the running cluster.</summary>
    public IClusterClient Client => Cluster.Client;

    /// <summary>The grain storage provider of the first silo, for tests below the grain level.</summary>
    public IGrainStorage Storage => Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageName);

    public async Task InitializeAsync()
    {
        ConnectionString = await TestDatabase.CreateAsync("cluster");
        await new SchemaMigrator(ConnectionString, NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
        _cluster = await StartClusterAsync();
    }

    /// <summary>Stops every silo and the client, then starts a new cluster on the same database and ServiceId.</summary>
    public async Task RestartAsync()
    {
        await StopClusterAsync();
        _cluster = await StartClusterAsync();
    }

    public async Task DisposeAsync()
    {
        await StopClusterAsync();
        if (ConnectionString.Length > 0)
            await TestDatabase.DropAsync(ConnectionString);
    }

    private async Task StopClusterAsync()
    {
        if (_cluster is not { } cluster)
            return;
        _cluster = null;
        await cluster.StopAllSilosAsync();
        await cluster.DisposeAsync();
    }

    private async Task<InProcessTestCluster> StartClusterAsync()
    {
        var connectionString = ConnectionString;
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = ServiceId;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(TimeProvider.System);
            silo.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
            silo.Services.AddSingleton(TestSecrets.PhoneKeys);
            // The silo's own set-up (Silo/Program.cs calls the same), so the grains and rows are what production has.
            silo.AddOutreachGrains(connectionString);
            silo.Services.AddDatabaseExceptionSerialization();
            // Orleans warns about periods under a minute; the tests would rather not wait one.
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            // A care plan whose firing failed tries again every second rather than every minute.
            silo.Configure<CareOptions>(o => o.RetryAfterFailure = TimeSpan.FromSeconds(1));
        });
        builder.ConfigureClient(client => client.Services.AddDatabaseExceptionSerialization());
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
