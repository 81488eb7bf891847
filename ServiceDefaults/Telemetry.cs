using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Outreach.ServiceDefaults;

/// <summary>OpenTelemetry wiring shared by the silo and the web host.</summary>
public static class Telemetry
{
    /// <summary>The meter and activity sources of our own code.</summary>
    public const string OutreachSource = "Outreach";

    /// <summary>The silo's service name (telemetry's resource, the stop log's file).</summary>
    public const string SiloService = "outreach-silo";

    /// <summary>The web node's service name (telemetry's resource, the stop log's file).</summary>
    public const string WebService = "outreach-web";

    /// <summary>
    /// Metrics (ASP.NET Core, Orleans, runtime, ours) at <c>/metrics</c> for Prometheus; when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, those and the traces (ASP.NET Core, Orleans, Npgsql, ours) over OTLP;
    /// when <see cref="GcPauseLog.Setting"/> names a directory, the runtime's stops of this process written there.
    /// </summary>
    public static IHostApplicationBuilder AddOutreachTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        if (GcPauseLog.StartIn(builder.Configuration[GcPauseLog.Setting], serviceName) is { } gcLog)
            builder.Services.AddSingleton(gcLog);
        var otlp = ExportsTraces(builder.Configuration);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId));
        // Spans only when something collects them: without an exporter every request, grain call and statement would
        // still build its activities (always sampled) only to drop them.
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing.AddSource(OutreachSource)
                .AddSource("Microsoft.Orleans.Runtime")
                .AddSource("Microsoft.Orleans.Application")
                .AddSource("Microsoft.Orleans.Storage")
                .AddAspNetCoreInstrumentation(o => o.Filter = ctx =>
                    !ctx.Request.Path.StartsWithSegments("/metrics") && !ctx.Request.Path.StartsWithSegments("/healthz"))
                .AddNpgsql()
                .AddOtlpExporter());
        }
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(OutreachSource)
                .AddMeter("Microsoft.Orleans")
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                // Every scrape current (the default serves the previous answer for 300 ms): a counter read right
                // after an action includes it, which the grain-call tests rely on; scrapes are seconds apart anyway.
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
            if (otlp)
                metrics.AddOtlpExporter();
        });
        return builder;
    }

    /// <summary>
    /// True when traces are exported (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set). Without it nothing records spans, so the
    /// Orleans trace-context filters (one more step in every grain call) are left out too.
    /// </summary>
    public static bool ExportsTraces(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    /// <summary>Maps <c>/metrics</c>; the caller decides who may read it (the web node: administrators only).</summary>
    public static IEndpointConventionBuilder MapOutreachMetrics(this IEndpointRouteBuilder app) =>
        app.MapPrometheusScrapingEndpoint("/metrics");
}
