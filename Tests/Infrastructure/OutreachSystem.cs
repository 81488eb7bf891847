using System.Globalization;
using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Outreach.ServiceDefaults;

namespace Outreach.Tests.Infrastructure;

/// <summary>
/// The real system as the run command starts it: silo and web processes on a fresh PostgreSQL database,
/// with ports of their own. Tests start more silos or web nodes on it when they need a cluster.
/// </summary>
public sealed class OutreachSystem : IAsyncDisposable
{
    public const string AdminLogin = "admin";
    public const string AdminPassword = "admin-test-password";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private readonly List<ChildProcess> _processes = [];
    private readonly IReadOnlyDictionary<string, string> _siloSettings;
    private readonly IReadOnlyDictionary<string, string> _webSettings;

    private OutreachSystem(string connectionString, IReadOnlyDictionary<string, string>? siloSettings, TcpFaultProxy? databaseProxy,
        IReadOnlyDictionary<string, string>? webSettings = null)
    {
        ConnectionString = connectionString;
        ProcessConnectionString = databaseProxy?.Through(connectionString) ?? connectionString;
        _siloSettings = siloSettings ?? new Dictionary<string, string>();
        _webSettings = webSettings ?? new Dictionary<string, string>();
    }

    /// <summary>The test database, reached directly (for the test's own checks and clean-up).</summary>
    public string ConnectionString { get; }

    /// <summary>The connection string the silos and web nodes use: through the proxy when one was given.</summary>
    public string ProcessConnectionString { get; }

    /// <summary>The Orleans ClusterId of this system's silos and web nodes (ServiceId is <c>outreach</c>).</summary>
    public string ClusterId { get; } = "test-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The web nodes started so far, in order.</summary>
    public List<WebNode> WebNodes { get; } = [];

    /// <summary>The silos started so far, in order.</summary>
    public List<SiloNode> Silos { get; } = [];

    /// <summary>A fresh database with one silo and one web node, ready.</summary>
    /// <param name="purpose">Names the test database.</param>
    /// <param name="seedDemo">Seed the demo region from the first web node.</param>
    /// <param name="siloSettings">Extra configuration for every silo (e.g. <c>Dispatch__UrgentClaimDeadline</c>).</param>
    /// <param name="databaseProxy">When given, the processes reach PostgreSQL through it (to stage outages).</param>
    /// <param name="webSettings">Extra configuration for every web node.</param>
    public static async Task<OutreachSystem> StartAsync(
        string purpose, bool seedDemo = false, IReadOnlyDictionary<string, string>? siloSettings = null, TcpFaultProxy? databaseProxy = null,
        IReadOnlyDictionary<string, string>? webSettings = null)
    {
        var system = new OutreachSystem(await TestDatabase.CreateAsync(purpose), siloSettings, databaseProxy, webSettings);
        try
        {
            await system.StartSiloAsync();
            await system.StartWebAsync(seedDemo);
            return system;
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more silo process and waits until it answers /healthz.</summary>
    public Task<SiloNode> StartSiloAsync() => StartSiloAsync(FreePorts.Next(), FreePorts.Next(), FreePorts.Next());

    /// <summary>
    /// Starts a silo again on the ports of one that died, as an operator restarting it would: the new
    /// generation at the same address declares the old one dead at once.
    /// </summary>
    public async Task<SiloNode> RestartSiloAsync(SiloNode dead)
    {
        var silo = await StartSiloAsync(dead.SiloPort, dead.GatewayPort, dead.Url.Port);
        Silos.Remove(dead);
        return silo;
    }

    private async Task<SiloNode> StartSiloAsync(int siloPort, int gatewayPort, int httpPort)
    {
        var process = Track(ChildProcess.Start($"silo-{Silos.Count + 1}", RepoPaths.SiloDll, new Dictionary<string, string>(_siloSettings)
        {
            ["ConnectionStrings__Outreach"] = ProcessConnectionString,
            ["Orleans__ClusterId"] = ClusterId,
            ["Orleans__ServiceId"] = OutreachCluster.DefaultServiceId,
            ["Outreach__PhoneKey"] = TestSecrets.PhoneKey,
            ["Orleans__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort}",
        }));
        var silo = new SiloNode(process, new Uri($"http://127.0.0.1:{httpPort}"), siloPort, gatewayPort);
        await WaitForAsync(process, new Uri(silo.Url, "/healthz"));
        Silos.Add(silo);
        return silo;
    }

    /// <summary>
    /// The settings every test web node gets: Development (plain http on 127.0.0.1, so the cookie is not
    /// <c>__Host-</c>/Secure), the test certificate for the data-protection keys, and rate limits high enough for
    /// tests that log in and post many times from one address and account.
    /// </summary>
    public static IReadOnlyDictionary<string, string> WebDefaults { get; } = new Dictionary<string, string>(TestCertificate.Settings)
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["DOTNET_ENVIRONMENT"] = "Development",
        ["Outreach__RateLimits__LoginPerAddress"] = "1000000",
        ["Outreach__RateLimits__Intake"] = "1000000",
        ["Outreach__RateLimits__Claim"] = "1000000",
        ["Outreach__RateLimits__Position"] = "1000000",
        ["Outreach__RateLimits__Notes"] = "1000000",
        ["Outreach__RateLimits__Seen"] = "1000000",
        // Long enough that a page opened after a few wrong passwords still sees the wait (the login page test).
        ["Outreach__Login__FirstDelay"] = "00:00:30",
    };
    /// <summary>A started host with an Orleans client of this system's cluster (for tests that ask grains directly).</summary>
    /// <param name="configure">More client set-up (e.g. TLS).</param>
    /// <param name="cancellationToken">Gives up connecting. When the client does not start, the host is disposed and the error thrown.</param>
    public async Task<IHost> StartClientHostAsync(Action<IClientBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        var host = Host.CreateDefaultBuilder()
            .ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .UseOrleansClient(client =>
            {
                client
                    .UseAdoNetClustering(o =>
                    {
                        o.Invariant = OutreachDatabase.Invariant;
                        o.ConnectionString = ConnectionString;
                    })
                    .Configure<ClusterOptions>(o =>
                    {
                        o.ClusterId = ClusterId;
                        o.ServiceId = OutreachCluster.DefaultServiceId;
                    });
                configure?.Invoke(client);
            })
            .Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return host;
    }

    /// <summary>Starts one more web node and waits until it answers /readyz.</summary>
    /// <param name="seedDemo">Seed the demo region.</param>
    /// <param name="settings">Settings over <see cref="WebDefaults"/> (e.g. low rate limits for the throttle tests).</param>
    public async Task<WebNode> StartWebAsync(bool seedDemo = false, IReadOnlyDictionary<string, string>? settings = null)
    {
        var web = await StartWebAsync(FreePorts.Next(), seedDemo, settings);
        WebNodes.Add(web);
        return web;
    }

    /// <summary>
    /// Starts a web node again on the port of one that was killed (browsers reconnect to the same address);
    /// it takes the dead node's place in <see cref="WebNodes"/>.
    /// </summary>
    public async Task<WebNode> RestartWebAsync(WebNode dead)
    {
        var web = await StartWebAsync(dead.Url.Port, seedDemo: false, settings: null);
        WebNodes[WebNodes.IndexOf(dead)] = web;
        return web;
    }

    /// <summary>
    /// Starts a web node and returns it once it answers /readyz, without adding it to <see cref="WebNodes"/>
    /// (a node with settings of its own for one test).
    /// </summary>
    public Task<WebNode> StartExtraWebAsync(IReadOnlyDictionary<string, string> settings) => StartWebAsync(FreePorts.Next(), false, settings);

    /// <summary>
    /// Starts a web process with <paramref name="overrides"/> on top of the usual settings (e.g. another environment
    /// or bootstrap password) and does not wait for it: for tests of how a web node starts, or refuses to.
    /// </summary>
    public (ChildProcess Process, Uri Url) StartWebProcess(string name, IReadOnlyDictionary<string, string> overrides)
    {
        var port = FreePorts.Next();
        return (Track(ChildProcess.Start(name, RepoPaths.WebDll, WebEnvironment(port, false, overrides))), new Uri($"http://127.0.0.1:{port}"));
    }

    /// <summary>Waits until <paramref name="process"/> answers 200 on <paramref name="url"/>.</summary>
    public static Task WaitUntilReadyAsync(ChildProcess process, Uri url) => WaitForAsync(process, url);

    /// <summary>Starts a web process without waiting for it (for tests of how it refuses to start).</summary>
    public ChildProcess LaunchWeb(IReadOnlyDictionary<string, string> settings) =>
        Track(ChildProcess.Start("web-launched", RepoPaths.WebDll, WebEnvironment(FreePorts.Next(), false, settings)));

    private async Task<WebNode> StartWebAsync(int port, bool seedDemo, IReadOnlyDictionary<string, string>? settings)
    {
        var url = new Uri($"http://127.0.0.1:{port}");
        var process = Track(ChildProcess.Start($"web-{WebNodes.Count + 1}", RepoPaths.WebDll, WebEnvironment(port, seedDemo, settings)));
        var web = new WebNode(process, url);
        await WaitForAsync(process, new Uri(url, "/readyz"));
        return web;
    }

    private Dictionary<string, string> WebEnvironment(int port, bool seedDemo, IReadOnlyDictionary<string, string>? settings)
    {
        var url = new Uri($"http://127.0.0.1:{port}");
        var environment = new Dictionary<string, string>(WebDefaults)
        {
            ["ConnectionStrings__Outreach"] = ProcessConnectionString,
            ["Outreach__PhoneKey"] = TestSecrets.PhoneKey,
            ["Orleans__ClusterId"] = ClusterId,
            ["Orleans__ServiceId"] = OutreachCluster.DefaultServiceId,
            ["ASPNETCORE_URLS"] = url.ToString().TrimEnd('/'),
            ["ASPNETCORE_CONTENTROOT"] = RepoPaths.WebContentRoot,
            ["Outreach__BootstrapAdmin__Login"] = AdminLogin,
            ["Outreach__BootstrapAdmin__Password"] = AdminPassword,
            ["Outreach__Demo__Seed"] = seedDemo ? "true" : "false",
        };
        foreach (var (key, value) in _webSettings.Concat(settings ?? new Dictionary<string, string>()))
            environment[key] = value;
        return environment;
    }

    /// <summary>The first web node.</summary>
    public WebNode Web => WebNodes[0];

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_processes))
            await process.DisposeAsync();
        await TestDatabase.DropAsync(ConnectionString);
    }

    private ChildProcess Track(ChildProcess process)
    {
        _processes.Add(process);
        return process;
    }

    private static async Task WaitForAsync(ChildProcess process, Uri url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync(TimeSpan.FromSeconds(10)); // reads the last lines it printed
                throw new InvalidOperationException($"{process.Name} exited before {url} answered:\n{process.Tail()}");
            }
            try
            {
                using var response = await http.GetAsync(url);
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Slow to answer while starting.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{process.Name} did not answer {url} within {StartTimeout.TotalSeconds} s:\n{process.Tail()}");
    }
}

/// <summary>A running silo process.</summary>
public sealed record SiloNode(ChildProcess Process, Uri Url, int SiloPort, int GatewayPort);

/// <summary>A running web process and how to talk to it.</summary>
public sealed record WebNode(ChildProcess Process, Uri Url)
{
    /// <summary>An HTTP client with its own cookie jar, not logged in.</summary>
    public ApiClient Anonymous() => new(Url);

    /// <summary>An HTTP client logged in as <paramref name="login"/>.</summary>
    public async Task<ApiClient> LoginAsync(string login, string password)
    {
        var client = new ApiClient(Url);
        await client.LoginAsync(login, password);
        return client;
    }

    /// <summary>An HTTP client logged in as the bootstrap administrator.</summary>
    public Task<ApiClient> AdminAsync() => LoginAsync(OutreachSystem.AdminLogin, OutreachSystem.AdminPassword);
}
