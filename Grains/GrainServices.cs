using Microsoft.Extensions.DependencyInjection;
using Outreach.Grains.Dispatch;
using Outreach.Grains.Files;
using Outreach.Grains.Live;
using Outreach.Grains.Reach;
using Outreach.Grains.Reach.Robots;
using Outreach.Stations;

namespace Outreach.Grains;

/// <summary>What the grains need from the silo's container beside Orleans itself.</summary>
public static class GrainServices
{
    /// <summary>
    /// The project's own tables (request ledger, dispatch index, directories). Needs an <c>NpgsqlDataSource</c>
    /// and a <see cref="TimeProvider"/> registered by the host.
    /// </summary>
    public static IServiceCollection AddOutreachTables(this IServiceCollection services)
    {
        services.AddSingleton<RequestStore>();
        services.AddSingleton<ICellStore, CellStore>();
        services.AddSingleton<IDirectoryStore, DirectoryStore>();
        return services;
    }

    /// <summary>
    /// The channels beyond the live pages (<see cref="RequestReachGrain"/>) and the delivery record. A channel not
    /// configured sends nothing. Needs an <c>NpgsqlDataSource</c> and a <see cref="TimeProvider"/>.
    /// </summary>
    public static IServiceCollection AddOutreachReach(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.AddOptions<ReachOptions>().Bind(configuration.GetSection(ReachOptions.Section));
        services.AddSingleton<DeliveryLog>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryLog>());
        services.AddSingleton<NoChannel>();
        services.AddSingleton<IPushChannel>(sp => sp.GetRequiredService<NoChannel>());
        services.AddOutreachRobots(configuration);
        services.AddSingleton<ISmsChannel>(sp => sp.GetRequiredService<NoChannel>());
        return services;
    }

    /// <summary>
    /// The station groups' robots (<see cref="RobotChannel"/>, settings <c>Robots</c>): an HTTP client that follows
    /// no redirect (an allowed host cannot send the post elsewhere) and logs no address (webhooks carry their key).
    /// </summary>
    private static IServiceCollection AddOutreachRobots(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.AddOptions<RobotOptions>().Bind(configuration.GetSection(RobotOptions.Section));
        services.AddHttpClient(RobotChannel.HttpClientName, client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan; // each attempt has its own (RobotOptions.AttemptTimeout)
                client.MaxResponseContentBufferSize = 64 * 1024;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
            .RemoveAllLoggers();
        services.AddSingleton<IRobotChannel, RobotChannel>();
        return services;
    }

    /// <summary>
    /// The silo's list of live web nodes and its delivery to them (<see cref="LiveNodes"/>): one per silo, refreshed
    /// in the background. Register it after <c>UseOrleans</c>, so its refresh loop starts once the silo does.
    /// </summary>
    public static IServiceCollection AddOutreachLive(this IServiceCollection services)
    {
        services.AddSingleton<LiveNodes>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveNodes>());
        return services;
    }
}
