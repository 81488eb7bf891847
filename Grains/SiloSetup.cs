using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Serialization;
using Outreach.Grains.Live;
using Outreach.ServiceDefaults;

namespace Outreach.Grains;

/// <summary>
/// How a silo hosts the project's grains, shared by the silo process (<c>Silo/Program.cs</c>) and the in-process
/// test cluster (<c>PostgresClusterFixture</c>), so the tests run the grains as production does. The host adds what
/// belongs to a process: clustering, endpoints, TLS, telemetry, the data source, the clock, the phone key, options.
/// </summary>
public static class SiloSetup
{
    /// <summary>The grain storage provider every project grain's <c>[PersistentState]</c> names.</summary>
    public const string StorageName = "outreach";

    /// <summary>
    /// Grain storage <see cref="StorageName"/> and reminders on PostgreSQL (the AdoNet providers), the state's JSON,
    /// and the grains' own tables and channels
    /// (<see cref="GrainServices.AddOutreachTables"/>, <see cref="GrainServices.AddOutreachReach"/>). Needs an
    /// <c>NpgsqlDataSource</c> and a <see cref="TimeProvider"/> registered by the host.
    /// </summary>
    public static ISiloBuilder AddOutreachGrains(this ISiloBuilder silo, string connectionString)
    {
        silo.AddAdoNetGrainStorage(StorageName, o =>
        {
            o.Invariant = OutreachDatabase.Invariant;
            o.ConnectionString = connectionString;
        });
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = OutreachDatabase.Invariant;
            o.ConnectionString = connectionString;
        });
        silo.UseSystemTextJsonGrainStorageSerializer();
        silo.Services.Configure<SystemTextJsonGrainStorageSerializerOptions>(o =>
        {
            // Our state types are immutable records built through constructors, which reference metadata
            // cannot be read into; they hold no cycles, so plain JSON with enum names is enough and readable.
            o.JsonSerializerOptions.ReferenceHandler = null;
            o.JsonSerializerOptions.WriteIndented = false;
            o.JsonSerializerOptions.Converters.Add(new JsonStringEnumConverter());
        });
        silo.Services.AddOutreachTables();
        silo.Services.AddOutreachReach();
        // The grains publish to the live web nodes on it; its refresh loop (AddOutreachLive) is the host's to start.
        silo.Services.TryAddSingleton<LiveNodes>();
        return silo;
    }
}
