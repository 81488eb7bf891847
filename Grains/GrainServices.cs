using Microsoft.Extensions.DependencyInjection;
using Outreach.Grains.Dispatch;
using Outreach.Grains.Files;
using Outreach.Grains.Live;
using Outreach.Grains.Reach;
using Outreach.Grains.Reach.Robots;
using Outreach.Grains.Sms;
using Outreach.Stations;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Outreach.Grains;

/// <summary>What the grains need from the silo's container beside Orleans itself.</summary>
public static class GrainServices
{
    /// <summary>
    /// The project's own tables (request ledger, dispatch index, directories) and the deadline sweeper that reads the
    /// ledger's deadlines (<see cref="DeadlineSweeper"/>). Needs an <c>NpgsqlDataSource</c>
    /// and a <see cref="TimeProvider"/> registered by the host.
    /// </summary>
    public static IServiceCollection AddOutreachTables(this IServiceCollection services)
    {
        services.AddSingleton<RequestStore>();
        services.AddSingleton<DeadlineSweeper>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<DeadlineSweeper>());
        services.AddSingleton<Outreach.Database.CarePlanTable>();
        services.AddMetrics();
        services.AddSingleton<Telemetry.RequestMetrics>();
        services.AddSingleton<ICellStore, CellStore>();
        services.AddSingleton<LocalCells>();
        services.AddSingleton<IDirectoryStore, DirectoryStore>();
        return services;
    }

    /// <summary>
    /// The channels beyond the live pages (<see cref="RequestReachGrain"/>) and the delivery record. A channel not
    /// configured sends nothing. Needs an <c>NpgsqlDataSource</c> and a <see cref="TimeProvider"/>.
    /// </summary>
    public static IServiceCollection AddOutreachReach(this IServiceCollection services)
    {
        services.AddOptions<ReachOptions>().BindConfiguration(ReachOptions.Section);
        services.AddSingleton<DeliveryLog>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryLog>());
        services.AddSingleton<NoChannel>();
        services.AddOutreachWebPush();
        services.AddOutreachRobots();
        services.AddOutreachSms();
        return services;
    }

    /// <summary>
    /// Text messages (<see cref="SmsChannel"/>, the reply codes' inbox): the provider of <c>Sms:Provider</c> — Aliyun
    /// through a named HttpClient with retries and a time-out per attempt, or the console sink. Needs the
    /// <see cref="Outreach.Files.PhoneIndexKeys"/> of the silo.
    /// </summary>
    private static IServiceCollection AddOutreachSms(this IServiceCollection services)
    {
        services.AddOptions<SmsOptions>().BindConfiguration(SmsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmsOptions>, SmsOptionsValidation>();
        services.AddSingleton<StatusLinks>();
        services.AddSingleton<ReplyCodes>();
        // Both gateways are registered; Sms:Provider chooses one when the channel is first needed.
        {
            services.AddHttpClient(AliyunSmsGateway.Client, c => c.Timeout = TimeSpan.FromMinutes(2))
                .AddResilienceHandler("sms", (pipeline, context) =>
                {
                    var options = context.ServiceProvider.GetRequiredService<IOptions<SmsOptions>>().Value;
                    if (options.Retries > 0)
                    {
                        pipeline.AddRetry(new HttpRetryStrategyOptions
                        {
                            MaxRetryAttempts = options.Retries,
                            BackoffType = DelayBackoffType.Exponential,
                            Delay = TimeSpan.FromSeconds(1),
                            UseJitter = true,
                        });
                    }
                    pipeline.AddTimeout(options.Timeout);
                });
            services.AddSingleton<AliyunSmsGateway>();
            services.AddSingleton<ConsoleSmsGateway>();
            services.AddSingleton<ISmsGateway>(sp => sp.GetRequiredService<IOptions<SmsOptions>>().Value.Provider == SmsOptions.Aliyun
                ? sp.GetRequiredService<AliyunSmsGateway>()
                : sp.GetRequiredService<ConsoleSmsGateway>());
        }
        services.AddSingleton<SmsChannel>();
        services.AddSingleton<ISmsChannel>(sp => sp.GetRequiredService<SmsChannel>());
        return services;
    }

    /// <summary>
    /// Web Push (<see cref="WebPushChannel"/>): the VAPID keys (made at start when none are configured), the volunteers'
    /// devices and the HTTP client push services are called with (no redirects: the server posts only where a
    /// browser's endpoint says; no request lines logged: an endpoint is a capability).
    /// </summary>
    private static IServiceCollection AddOutreachWebPush(this IServiceCollection services)
    {
        services.AddOptions<PushOptions>().BindConfiguration(PushOptions.Section);
        services.AddSingleton<PushSubscriptionStore>();
        services.AddSingleton<VapidKeys>();
        services.AddHostedService(sp => sp.GetRequiredService<VapidKeys>());
        services.AddHttpClient(WebPushChannel.HttpClientName, (sp, c) =>
                c.Timeout = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<PushOptions>>().Value.Timeout + TimeSpan.FromSeconds(5))
            .ConfigurePrimaryHttpMessageHandler(() => new System.Net.Http.SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
            .AddHttpMessageHandler(sp => new VapidAudienceHandler(
                sp.GetRequiredService<VapidKeys>(),
                sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<PushOptions>>(),
                sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ReachOptions>>()))
            // The client factory's request lines would print each endpoint: a capability, whoever knows it takes the device.
            .RemoveAllLoggers();
        services.AddSingleton<IPushChannel, WebPushChannel>();
        return services;
    }

    /// <summary>
    /// The station groups' robots (<see cref="RobotChannel"/>, settings <c>Robots</c>): an HTTP client that follows
    /// no redirect (an allowed host cannot send the post elsewhere) and logs no address (webhooks carry their key).
    /// </summary>
    private static IServiceCollection AddOutreachRobots(this IServiceCollection services)
    {
        services.AddOptions<RobotOptions>().BindConfiguration(RobotOptions.Section);
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
    /// The refresh loop of the silo's list of live web nodes (<see cref="LiveNodes"/>, registered by
    /// <see cref="SiloSetup.AddOutreachGrains"/>, whose grains publish on it). Register it after <c>UseOrleans</c>, so
    /// the loop starts once the silo does.
    /// </summary>
    public static IServiceCollection AddOutreachLive(this IServiceCollection services)
    {
        services.AddHostedService(sp => sp.GetRequiredService<LiveNodes>());
        return services;
    }
}
