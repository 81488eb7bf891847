using Outreach.Web.Care;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Outreach.Dispatch;
using Outreach.ServiceDefaults;
using Outreach.Stations;
using Outreach.Web.Accounts;
using Outreach.Web.Audit;
using Outreach.Web.Auth;
using Outreach.Web.Demo;
using Outreach.Web.Dispatch;
using Outreach.Web.Files;
using Outreach.Web.Health;
using Outreach.Web.Hours;
using Outreach.Web.Infrastructure;
using Outreach.Web.Live;
using Outreach.Web.Pages;
using Outreach.Web.Push;
using Outreach.Web.Security;
using Outreach.Web.Sms;
using Outreach.Web.Status;
using Outreach.Web.Stations;
using Outreach.Web.Volunteers;

var builder = WebApplication.CreateBuilder(args);
if (BootstrapAdminPassword.Refusal(builder.Configuration, builder.Environment) is { } refusal)
{
    Console.Error.WriteLine(refusal);
    return 2;
}

builder.AddOutreachTelemetry(Telemetry.WebService);
builder.Services.AddNpgsqlDataSource(OutreachDatabase.ConnectionString(builder.Configuration));
// TLS with a client certificate to the silos' gateways when Orleans:Tls is configured.
var clusterTls = ClusterTls.Read(builder.Configuration, ClusterRole.Client);
builder.AddOutreachOrleansClient(clusterTls);
// Web nodes started at once on a new database must not each make their own first key. Registered before the
// data-protection system (AddOutreachAuth adds it), whose own hosted service reads the ring at start and makes a key
// when there is none: hosted services start in the order they are registered.
builder.Services.AddHostedService<FirstKey>();
builder.AddOutreachAuth();
builder.AddOutreachPages();
builder.AddOutreachSecurityHeaders();
builder.AddOutreachRequestOrigin();
builder.AddOutreachOperationalEndpoints();
builder.AddOutreachPush();

builder.Services.AddSingleton<IXmlRepository, PostgresXmlRepository>();
builder.Services.AddDataProtection().SetApplicationName("outreach");
builder.Services.AddOptions<KeyManagementOptions>()
    .Configure<IXmlRepository>((o, repository) => o.XmlRepository = repository);

builder.Services.ConfigureHttpJsonOptions(o => ContractJson.Configure(o.SerializerOptions));
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDetailsSetup.Customize);
builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
// After it: whatever else an endpoint lets through is a 503 (storage or cluster fault) or a 500 (bug).
builder.Services.AddExceptionHandler<FaultExceptionHandler>();
builder.Services.AddValidation();
builder.Services.AddOpenApi();
// Hub errors never carry exception text to the browser (the default, stated so nobody turns it on by accident).
builder.Services.AddSignalR(o => o.EnableDetailedErrors = false).AddJsonProtocol(o => ContractJson.Configure(o.PayloadSerializerOptions));
// After AddOutreachOrleansClient: hosted services start in registration order, and the relay needs the client.
builder.Services.AddSingleton<MapWatchers>();
builder.Services.AddSingleton<VolunteerConnections>();
builder.Services.AddSingleton<LiveConnections>();
builder.Services.AddSingleton<LiveRelay>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<LiveRelay>());

builder.Services.AddOptions<BootstrapAdminOptions>().BindConfiguration(BootstrapAdminOptions.Section);
builder.Services.AddHostedService<BootstrapAdmin>();
builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section);
builder.Services.AddOptions<RobotOptions>().BindConfiguration(RobotOptions.Section);
builder.Services.AddHostedService<DemoSeeder>();
// The figures count arrivals within the circle the silo offers in (Dispatch:CircleMinutes, set on both).
builder.Services.AddOptions<CircleSetting>().BindConfiguration(CircleSetting.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<DispatchQueries>();
builder.Services.AddSingleton<VolunteerWork>();
builder.Services.AddCarePlans();
builder.Services.AddSingleton<AccountList>();
builder.Services.AddSingleton<WebMetrics>();

// Personal data: the phone index's keyed hash, the access audit, the per-user search limit (docs/SECURITY.md).
builder.AddPhoneKeys();
builder.Services.AddAuditLog();
builder.Services.AddSearchRateLimit();

// Reach: the family's status link and the SMS provider's callback (docs/API.md, "SMS and the status link").
builder.Services.AddStatusLinks();
builder.Services.AddSmsInbound();

// Service hours: the records the request grains write, their correction and export, the certificate.
builder.Services.AddServiceRecords();

var app = builder.Build();
ClusterTls.LogStartup(app.Logger, clusterTls, app.Environment);

app.UseOutreachSecurityHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseOutreachStaticFiles();
app.UseOutreachUnmatchedAs404();
app.UseOutreachRequestOrigin();
app.UseOutreachJsonBodies();
app.UseAuthentication();
app.UseAuthorization();
// A live-hub connection answers only the account that negotiated it.
app.UseHubConnectionOwners();
// After authorization: limits count per signed-in account (intake, claims, positions, notes, searches).
app.UseOutreachRateLimits();
app.UseJsonInputGuard();

app.MapHealthEndpoints();
app.MapAuthEndpoints();
app.MapAccountEndpoints();
app.MapFamilyFileEndpoints();
app.MapCarePlanEndpoints();
app.MapPairedFamilyEndpoints();
app.MapStationEndpoints();
app.MapVolunteerEndpoints();
app.MapVolunteerImportEndpoints();
app.MapRequestEndpoints();
app.MapRequestListEndpoints();
app.MapStatsEndpoints();
app.MapSnapshotEndpoints();
app.MapMapEndpoints();
app.MapPageEndpoints();
app.MapAuditEndpoints();
app.MapStatusEndpoints();
app.MapSmsInboundEndpoints();
app.MapPushEndpoints();
app.MapServiceRecordEndpoints();
app.MapCertificatePage();
app.MapHub<LiveHub>("/hubs/live");
app.MapOutreachOperationalEndpoints();

// Taken before running: once RunAsync has failed, the host is disposed and app.Lifetime can no longer be resolved
// (an exception inside the filter below would make it silently false).
var stopping = app.Lifetime.ApplicationStopping;
try
{
    await app.RunAsync();
}
catch (OperationCanceledException) when (stopping.IsCancellationRequested)
{
    // Stopped (Ctrl-C) while still waiting for the cluster: nothing went wrong, so no stack trace of ours.
    Console.Error.WriteLine("Stopped before the Orleans cluster was reached.");
}
return 0;
