using System.Net;
using Orleans.Configuration;
using Outreach.Database;
using Outreach.Files;
using Outreach.Grains.Accounts;
using Outreach.Grains.Files;
using Outreach.Grains;
using Outreach.Grains.Dispatch;
using Outreach.ServiceDefaults;
using Outreach.Silo;

var builder = WebApplication.CreateBuilder(args);
var settings = builder.Configuration.GetSection(OrleansSettings.Section).Get<OrleansSettings>() ?? new();
var connectionString = OutreachDatabase.ConnectionString(builder.Configuration);
// The phone index's keys are a keyed hash of the number (Outreach:PhoneKey, required outside Development).
var phoneKeys = new PhoneIndexKeys(PhoneKeySetting.Read(builder.Configuration, builder.Environment));
// TLS with certificates on the silo and gateway ports when Orleans:Tls is configured (read first: a bad file stops us here).
var clusterTls = ClusterTls.Read(builder.Configuration, ClusterRole.Silo);

using (var loggerFactory = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true)))
{
    // The schema must be in place before the providers load their queries; wait for the database.
    await new SchemaMigrator(connectionString, loggerFactory.CreateLogger<SchemaMigrator>())
        .MigrateWithRetryAsync(TimeSpan.FromSeconds(2), CancellationToken.None);
    // Index entries stored under the plain number move to their hashed key before any grain can activate.
    await PhoneIndexMigration.RunAsync(connectionString, settings.ServiceId, phoneKeys, loggerFactory.CreateLogger("PhoneIndexMigration"));
    // Accounts stored before the accounts directory are listed in it (the web reads only the directory).
    await AccountDirectoryBackfill.RunAsync(connectionString, settings.ServiceId, loggerFactory.CreateLogger("AccountDirectoryBackfill"));
}

builder.AddOutreachTelemetry(Telemetry.SiloService);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddNpgsqlDataSource(connectionString);
builder.Services.AddSingleton(phoneKeys);
builder.Services.AddOptions<DispatchOptions>().BindConfiguration(DispatchOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<CareOptions>().BindConfiguration(CareOptions.Section)
    .Validate(o => o.PairedWindow.Routine >= TimeSpan.Zero && o.PairedWindow.Urgent >= TimeSpan.Zero && o.PairedWindow.Emergency >= TimeSpan.Zero,
        "Care:PairedWindow: a window is zero or more.")
    .Validate(o => o.CreateAhead >= TimeSpan.Zero && o.CreateAhead <= TimeSpan.FromDays(2),
        "Care:CreateAhead: from zero to two days.")
    .Validate(o => o.RetryAfterFailure >= TimeSpan.FromSeconds(1) && o.RetryAfterFailure <= TimeSpan.FromHours(1),
        "Care:RetryAfterFailure: from one second to an hour.")
    .ValidateOnStart();
builder.UseOrleans(silo =>
{
    silo.Configure<ClusterOptions>(o =>
    {
        o.ClusterId = settings.ClusterId;
        o.ServiceId = settings.ServiceId;
    });
    // A killed silo is declared dead after NumMissedProbesLimit probes at the adapted period (under a second here,
    // 10–15 s with Orleans' defaults, which are tuned for clouds); until then calls to its grains are refused and
    // retried (ClusterRetry). A busy silo is not declared dead by short probes: while its connection still
    // carries messages, the suspicion is dropped (connection liveness), and a prober whose own health degrades
    // waits longer.
    silo.Configure<ClusterMembershipOptions>(o =>
    {
        o.ProbeTimeout = settings.ProbeTimeout;
        o.MinProbeTimeout = settings.MinProbeTimeout;
        o.NumMissedProbesLimit = settings.NumMissedProbesLimit;
        o.EnableConnectionLivenessCheck = true;
        o.ExtendProbeTimeoutDuringDegradation = true;
    });
    silo.ConfigureEndpoints(IPAddress.Parse(settings.AdvertisedIp), settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: false);
    if (clusterTls is not null)
        silo.UseClusterTls(clusterTls);
    silo.UseAdoNetClustering(o =>
    {
        o.Invariant = OutreachDatabase.Invariant;
        o.ConnectionString = connectionString;
    });
    // Storage, reminders, state JSON, the grains' tables and channels: the same set-up as the in-process test cluster.
    silo.AddOutreachGrains(connectionString);
    // Npgsql's exceptions cross grain calls as themselves (the web and the tests' clients say the same).
    silo.Services.AddDatabaseExceptionSerialization();
    if (Telemetry.ExportsTraces(builder.Configuration))
        silo.AddActivityPropagation();
    silo.AddIncomingGrainCallFilter<BrokenConnectionFilter>();
});

// After UseOrleans: its refresh loop then starts once the silo has.
builder.Services.AddOutreachLive();

var app = builder.Build();
ClusterTls.LogStartup(app.Logger, clusterTls, app.Environment);
app.MapGet("/healthz", () => TypedResults.Ok(new { status = "alive" }));
app.MapOutreachMetrics();
await app.RunAsync();
