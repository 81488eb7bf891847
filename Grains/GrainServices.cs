using Microsoft.Extensions.DependencyInjection;
using Outreach.Grains.Dispatch;
using Outreach.Grains.Files;
using Outreach.Grains.Live;

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
