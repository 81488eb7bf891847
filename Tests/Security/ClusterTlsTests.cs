using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Connections.Security;
using Outreach.Accounts;
using Outreach.ServiceDefaults;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Security;

/// <summary>
/// A system of its own whose silo and web node speak Orleans over TLS, with certificates from a CA made here: the silo's
/// as PKCS#12, the web node's as PEM files (as run.sh makes them).
/// </summary>
public sealed class ClusterTlsSystem : IAsyncLifetime
{
    private OutreachSystem? _system;

    public OutreachSystem System => _system ?? throw new InvalidOperationException("The system is not started.");

    /// <summary>The CA of the cluster.</summary>
    public TestCertificateAuthority Authority { get; } = TestCertificateAuthority.Create("Outreach test cluster CA");

    /// <summary>Another CA of the same name: only its key differs.</summary>
    public TestCertificateAuthority Impostor { get; } = TestCertificateAuthority.Create("Outreach test cluster CA");

    public async Task InitializeAsync() => _system = await OutreachSystem.StartAsync("tls",
        siloSettings: Authority.Pkcs12Settings("outreach-silo", silo: true),
        webSettings: Authority.PemSettings("outreach-web", silo: false));

    public async Task DisposeAsync()
    {
        if (_system is not null)
            await _system.DisposeAsync();
        Authority.Dispose();
        Impostor.Dispose();
    }
}

/// <summary>
/// The cluster's own ports with Orleans:Tls: a process with a certificate of the cluster's CA calls grains; one with a
/// certificate of another CA, with none, or without TLS cannot, on the gateway and on the silo port.
/// </summary>
[Category(TestCategory.System)]
public sealed class ClusterTlsTests(ClusterTlsSystem fixture) : IClassFixture<ClusterTlsSystem>
{
    private static readonly TimeSpan LogPatience = TimeSpan.FromSeconds(30);

    private OutreachSystem System => fixture.System;

    [Fact]
    public async Task WebNode_WithACertificateOfTheClusterCa_ServesTheApi_AndTheSiloDoesNotPrintItsCertificatePassword()
    {
        using var admin = await System.Web.AdminAsync();
        var (status, me) = await admin.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(OutreachSystem.AdminLogin, me!["login"]!.GetValue<string>());
        Assert.True(System.Silos[0].Process.Printed("Orleans TLS is on"), System.Silos[0].Process.Tail());
        Assert.True(System.Web.Process.Printed("Orleans TLS is on"), System.Web.Process.Tail());
        Assert.False(System.Silos[0].Process.Printed(TestCertificateAuthority.Password), System.Silos[0].Process.Tail());
    }

    [Fact]
    public async Task Client_WithACertificateOfTheClusterCa_CallsAGrain()
    {
        var credentials = ClusterTls.Read(TestCertificateAuthority.Configuration(fixture.Authority.Pkcs12Settings("test-client", silo: false)), ClusterRole.Client)!;

        var account = await ReadAdminAccountAsync(client => client.UseClusterTls(credentials));

        Assert.Equal(OutreachSystem.AdminLogin, account?.Login);
    }

    [Fact]
    public async Task Client_WithACertificateOfAnotherCaOfTheSameName_CannotCallAGrain_AndTheSiloSaysWhom()
    {
        using var impostor = fixture.Impostor.Issue("outreach-web", silo: false);

        await AssertRefusedAsync(client => client.UseTls(impostor, o =>
        {
            // A client that shows its certificate and trusts any silo: only the silo's check can stop it.
            o.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            o.AllowAnyRemoteCertificate();
        }));

        await WaitForLineAsync(System.Silos[0].Process, $"thumbprint {impostor.Thumbprint}) is not issued by a trusted CA");
    }

    [Fact]
    public async Task Client_WithTlsButNoCertificate_CannotCallAGrain()
    {
        await AssertRefusedAsync(client => client.UseTls(o =>
        {
            o.ClientCertificateMode = RemoteCertificateMode.NoCertificate;
            o.AllowAnyRemoteCertificate();
        }));
    }

    [Fact]
    public async Task Client_WithoutTls_CannotCallAGrain()
    {
        await AssertRefusedAsync(configure: null);
    }

    [Theory]
    [InlineData("silo")]
    [InlineData("gateway")]
    public async Task Port_GivenACertificateOfAnotherCa_ClosesTheConnection_AndTheSiloSaysWhom(string port)
    {
        var silo = System.Silos[0];
        using var impostor = fixture.Impostor.Issue("outreach-silo", silo: true);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port == "silo" ? silo.SiloPort : silo.GatewayPort);
        var authorities = new X509Certificate2Collection(fixture.Authority.Certificate);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false,
            (_, certificate, _, _) => certificate is X509Certificate2 shown && ClusterTls.IssuedBy(shown, authorities, out _));

        var closed = await Record.ExceptionAsync(async () =>
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "outreach-silo",
                ClientCertificates = [impostor],
            });
            // TLS 1.3: the server checks the client's certificate after the client finished; its refusal arrives now.
            using var timeout = new CancellationTokenSource(LogPatience);
            var read = await tls.ReadAsync(new byte[64], timeout.Token);
            if (read == 0)
                throw new IOException("closed by the silo");
        });

        Assert.True(closed is IOException or AuthenticationException, $"the connection was not refused: {closed}");
        await WaitForLineAsync(silo.Process, $"thumbprint {impostor.Thumbprint}) is not issued by a trusted CA");
    }

    [Fact]
    public async Task WebNode_TrustingAnotherCa_RefusesTheSilo_AndNeverBecomesReady()
    {
        var (process, url) = System.StartWebProcess("web-other-ca", fixture.Impostor.PemSettings("outreach-web-other-ca", silo: false));

        await WaitForLineAsync(process, "Refused a cluster connection: the peer's certificate CN=outreach-silo");

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var ready = await Record.ExceptionAsync(async () => (await http.GetAsync(new Uri(url, "/readyz"))).EnsureSuccessStatusCode());
        Assert.NotNull(ready);
        await process.KillAsync();
    }

    [Fact]
    public async Task SecondSilo_WithTls_JoinsTheCluster()
    {
        await System.StartSiloAsync();

        await ClusterWaits.ActiveSilosAsync(System, 2);
    }

    /// <summary>Starts an Orleans client of the system with <paramref name="configure"/> and reads the bootstrap administrator's account.</summary>
    private async Task<Account?> ReadAdminAccountAsync(Action<IClientBuilder>? configure)
    {
        using var host = await System.StartClientHostAsync(configure);
        var account = host.Services.GetRequiredService<IClusterClient>().GetGrain<IAccountGrain>(AccountKeys.For(OutreachSystem.AdminLogin));
        return await account.GetAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// Starts an Orleans client of the system with <paramref name="configure"/> and expects the gateway to end its connection
    /// before the client is up. (The client would then try again for minutes; the test stops it after the first refusal.)
    /// </summary>
    private async Task AssertRefusedAsync(Action<IClientBuilder>? configure)
    {
        var attempts = new ConnectionAttempts();
        using var giveUp = new CancellationTokenSource();
        var start = System.StartClientHostAsync(client =>
        {
            client.Services.AddSingleton<ILoggerProvider>(attempts);
            configure?.Invoke(client);
        }, giveUp.Token);

        var first = await Task.WhenAny(start, attempts.FirstFailure.WaitAsync(LogPatience));
        if (first == start && start.IsCompletedSuccessfully)
        {
            using var host = await start;
            Assert.Fail("the client connected to the cluster");
        }
        Assert.True(attempts.FirstFailure.IsCompletedSuccessfully, $"no connection attempt failed within {LogPatience.TotalSeconds} s: {start.Exception}");
        await giveUp.CancelAsync();
        var stopped = await Record.ExceptionAsync(() => start.WaitAsync(LogPatience));
        Assert.True(stopped is OperationCanceledException or OrleansException, $"the client did not give up: {stopped}");
    }

    private static async Task WaitForLineAsync(ChildProcess process, string text)
    {
        var deadline = DateTime.UtcNow + LogPatience;
        while (!process.Printed(text) && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.True(process.Printed(text), $"{process.Name} did not print \"{text}\" within {LogPatience.TotalSeconds} s:\n{process.Tail()}");
    }
}

/// <summary>Watches an Orleans client's log for its first failed connection attempt (a warning of its connection manager).</summary>
internal sealed class ConnectionAttempts : ILoggerProvider, ILogger
{
    private readonly TaskCompletionSource<string> _firstFailure = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the message and exception of the first failed attempt.</summary>
    public Task<string> FirstFailure => _firstFailure.Task;

    public ILogger CreateLogger(string categoryName) =>
        categoryName == "Orleans.Runtime.Messaging.ConnectionManager" ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var message = formatter(state, exception);
        if (logLevel >= LogLevel.Warning && message.StartsWith("Connection attempt to endpoint", StringComparison.Ordinal))
            _firstFailure.TrySetResult($"{message}: {exception?.Message}");
    }

    public void Dispose()
    {
    }
}
