using Orleans.Configuration;
using Outreach.ServiceDefaults;
using Outreach.Web.Live;

namespace Outreach.Web.Infrastructure;

/// <summary>The web host is an Orleans client: it finds the silos' gateways through the membership table.</summary>
public static class OrleansClientSetup
{
    /// <summary>The client, with TLS to the gateways when <paramref name="tls"/> is given (<c>Orleans:Tls</c>).</summary>
    public static WebApplicationBuilder AddOutreachOrleansClient(this WebApplicationBuilder builder, ClusterCredentials? tls)
    {
        var section = builder.Configuration.GetSection(OutreachCluster.Section);
        var connectionString = OutreachDatabase.ConnectionString(builder.Configuration);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = section["ClusterId"] ?? OutreachCluster.DefaultClusterId;
                o.ServiceId = section["ServiceId"] ?? OutreachCluster.DefaultServiceId;
            });
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = OutreachDatabase.Invariant;
                o.ConnectionString = connectionString;
            });
            if (tls is not null)
                client.UseClusterTls(tls);
            client.UseConnectionRetryFilter<RetryUntilClusterIsUp>();
            // Gateway changes reach the live relay, which renews its subscription and has its pages resync.
            client.Services.AddSingleton<ClusterConnectionSignal>();
            client.Services.AddSingleton<IClusterConnectionStatusObserver>(sp => sp.GetRequiredService<ClusterConnectionSignal>());
            if (Telemetry.ExportsTraces(builder.Configuration))
                client.AddActivityPropagation();
            client.AddOutgoingGrainCallFilter<GrainCallCounter>();
            client.Services.AddDatabaseExceptionSerialization();
        });
        return builder;
    }

    /// <summary>Keeps trying to reach the cluster (the silo may start after us), saying so in one line each time.</summary>
    private sealed class RetryUntilClusterIsUp(ILogger<RetryUntilClusterIsUp> log) : IClientConnectionRetryFilter
    {
        private static readonly TimeSpan Delay = TimeSpan.FromSeconds(2);

        public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
        {
            if (Find<Npgsql.NpgsqlException>(exception) is not null)
                log.LogWarning("Database not reachable, so the cluster's gateways are unknown ({Reason}); retrying in {Delay} s",
                    Describe(exception), Delay.TotalSeconds);
            else
                log.LogWarning("Orleans cluster not reachable yet ({Reason}); retrying in {Delay} s",
                    Describe(exception), Delay.TotalSeconds);
            await Task.Delay(Delay, cancellationToken);
            return !cancellationToken.IsCancellationRequested;
        }

        private static T? Find<T>(Exception? exception) where T : Exception
        {
            for (; exception is not null; exception = exception.InnerException)
            {
                if (exception is T found)
                    return found;
            }
            return null;
        }

        private static string Describe(Exception exception)
        {
            var innermost = exception;
            while (innermost.InnerException is not null)
                innermost = innermost.InnerException;
            return innermost.Message.Split('\n')[0].Trim();
        }
    }
}
