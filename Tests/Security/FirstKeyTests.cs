using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Outreach.Tests.Dispatch;
using Outreach.Tests.Infrastructure;
using Outreach.Web.Infrastructure;

namespace Outreach.Tests.Security;

/// <summary>
/// Web nodes started at once on a new database share one first key, so each accepts the cookies the other signs
/// (before, each could make its own and refuse the other's logins with 401 until it next read the ring).
/// </summary>
[Category(TestCategory.Database)]
public sealed class FirstKeyTests() : LedgerDatabaseTests("firstkey")
{
    [Fact]
    public async Task NodesStartingAtOnce_MakeOneFirstKey_AndEachReadsWhatTheOtherSigned()
    {
        // Eight nodes, each with its own data-protection system over the one table, as eight web processes have, each
        // with a connection open (as a node that has started), let go at the same moment.
        var nodes = Enumerable.Range(0, 8).Select(_ => Node()).ToArray();
        await Task.WhenAll(nodes.Select(async _ => { await using var warm = await Db.DataSource.OpenConnectionAsync(); }));
        using var gate = new ManualResetEventSlim();

        // Each on a thread of its own, as each process has its own.
        var starting = nodes.Select(n =>
        {
            var done = new TaskCompletionSource<bool>();
            new Thread(() =>
            {
                gate.Wait();
                try
                {
                    done.SetResult(n.Guard.EnsureAsync(CancellationToken.None).GetAwaiter().GetResult());
                }
                catch (Exception e)
                {
                    done.SetException(e);
                }
            }).Start();
            return done.Task;
        }).ToArray();
        gate.Set();
        var created = await Task.WhenAll(starting);
        var again = await nodes[0].Guard.EnsureAsync(CancellationToken.None);

        Assert.Equal(1, created.Count(c => c));
        Assert.False(again);
        Assert.Equal(1L, await KeyRowsAsync());
        var signed = nodes[1].Protector.Protect("会话");
        Assert.All(nodes, n => Assert.Equal("会话", n.Protector.Unprotect(signed)));
    }

    [Fact]
    public async Task ADatabaseNotUpYet_IsWaitedFor_NotAFailedStart()
    {
        // Nothing listens on port 1: every attempt fails to connect, and the node keeps trying until it is stopped.
        await using var down = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Username=x;Password=x;Database=x;Timeout=1");
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection().SetApplicationName("outreach");
        services.Configure<KeyManagementOptions>(o => o.XmlRepository = new PostgresXmlRepository(down));
        await using var provider = services.BuildServiceProvider();
        var guard = new FirstKey(down, provider.GetRequiredService<IKeyManager>(), TimeProvider.System, NullLogger<FirstKey>.Instance);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => guard.StartAsync(stop.Token));
    }

    /// <summary>A node as the web host builds it: the guard registered before the data-protection system's own hosted service.</summary>
    private (WebNodeStart Guard, IDataProtector Protector) Node()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Db.DataSource);
        services.AddSingleton(TimeProvider.System);
        services.AddHostedService<FirstKey>();
        services.AddDataProtection().SetApplicationName("outreach");
        services.Configure<KeyManagementOptions>(o => o.XmlRepository = new PostgresXmlRepository(Db.DataSource));
        var provider = services.BuildServiceProvider();
        return (new WebNodeStart(provider), provider.GetRequiredService<IDataProtectionProvider>().CreateProtector("test"));
    }

    /// <summary>Starts a node's hosted services in their order, as the host does; true when its guard made the key.</summary>
    private sealed class WebNodeStart(IServiceProvider provider)
    {
        public async Task<bool> EnsureAsync(CancellationToken cancellationToken)
        {
            var started = provider.GetServices<IHostedService>().ToList();
            Assert.IsType<FirstKey>(started[0]);
            var created = await ((FirstKey)started[0]).EnsureAsync(cancellationToken);
            foreach (var service in started.Skip(1))
                await service.StartAsync(cancellationToken); // the data-protection system reads the ring here
            return created;
        }
    }

    private async Task<long> KeyRowsAsync()
    {
        await using var command = Db.DataSource.CreateCommand("SELECT count(*) FROM outreach_dataprotection_keys");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
