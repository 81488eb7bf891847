using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Connections.Security;
using Orleans.Hosting;

namespace Outreach.ServiceDefaults;

/// <summary>The settings of section <c>Orleans:Tls</c>: TLS with certificates on both ends of every cluster connection.</summary>
public sealed class ClusterTlsSettings
{
    public const string Section = "Orleans:Tls";

    /// <summary>This process's certificate and private key, shown to every peer (<c>Path</c>, and <c>Password</c> or <c>KeyPath</c>).</summary>
    public CertificateFile Certificate { get; set; } = new();

    /// <summary>
    /// A PEM file with the certificate(s) of the CA(s) that must have issued a peer's certificate. Only these are trusted,
    /// never the system's roots; two during a change of CA.
    /// </summary>
    public string? CaPath { get; set; }
}

/// <summary>What a process needs of its certificate: a silo serves and calls (server and client use), a web node only calls.</summary>
public enum ClusterRole
{
    Silo,
    Client,
}

/// <summary>A loaded certificate and the CAs a peer's certificate must come from.</summary>
public sealed record ClusterCredentials(X509Certificate2 Certificate, X509Certificate2Collection Authorities);

/// <summary>
/// TLS on the cluster's own ports (silo to silo, web node to gateway), with a certificate required on both ends and
/// accepted only when one of the configured CAs issued it: a process without such a certificate cannot call a grain.
/// Off (plain TCP) when <c>Orleans:Tls</c> is not configured.
/// </summary>
public static class ClusterTls
{
    private const string LogCategory = "Outreach.ClusterTls";
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <summary>
    /// Loads <c>Orleans:Tls</c>: null when neither the certificate nor the CA file is set; otherwise both, checked
    /// (readable, with its key, issued by one of the CAs, fit for <paramref name="role"/>), or an error naming the setting.
    /// </summary>
    public static ClusterCredentials? Read(IConfiguration configuration, ClusterRole role)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = configuration.GetSection(ClusterTlsSettings.Section).Get<ClusterTlsSettings>() ?? new();
        var hasCertificate = !string.IsNullOrWhiteSpace(settings.Certificate.Path);
        var hasCa = !string.IsNullOrWhiteSpace(settings.CaPath);
        if (!hasCertificate && !hasCa)
            return null;
        if (!hasCa)
            throw new InvalidOperationException($"{ClusterTlsSettings.Section}:CaPath (environment Orleans__Tls__CaPath) is required with {ClusterTlsSettings.Section}:Certificate:Path: the PEM of the CA that issues the cluster's certificates.");
        if (!hasCertificate)
            throw new InvalidOperationException($"{ClusterTlsSettings.Section}:Certificate:Path (environment Orleans__Tls__Certificate__Path) is required with {ClusterTlsSettings.Section}:CaPath: this process's certificate and key.");

        var authorities = ReadAuthorities(settings.CaPath!);
        var certificate = settings.Certificate.Load($"{ClusterTlsSettings.Section}:Certificate");
        var setting = $"{ClusterTlsSettings.Section}:Certificate ({settings.Certificate.Path})";
        if (role == ClusterRole.Silo && !AllowsUsage(certificate, ServerAuthentication))
            throw new InvalidOperationException($"{setting}: a silo's certificate must allow server authentication (extended key usage serverAuth).");
        if (!AllowsUsage(certificate, ClientAuthentication))
            throw new InvalidOperationException($"{setting}: the certificate must allow client authentication (extended key usage clientAuth).");
        if (!IssuedBy(certificate, authorities, out var problem))
            throw new InvalidOperationException($"{setting} is not issued by a CA of {ClusterTlsSettings.Section}:CaPath ({settings.CaPath}): {problem}. Peers would refuse it.");
        return new ClusterCredentials(certificate, authorities);
    }

    /// <summary>TLS on the silo port (both ways) and the gateway port, as <c>UseTls</c> sets it up, with the CA check.</summary>
    public static ISiloBuilder UseClusterTls(this ISiloBuilder silo, ClusterCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(credentials);
        // The connection hooks UseTls configures, registered through DI so that the CA check can log whom it refused.
        silo.Services.AddOptions<SiloConnectionOptions>().Configure<ILoggerFactory>((connections, loggers) =>
        {
            var tls = Options(credentials, loggers.CreateLogger(LogCategory));
            connections.ConfigureSiloInboundConnection(c => c.UseServerTls(tls));
            connections.ConfigureGatewayInboundConnection(c => c.UseServerTls(tls));
            connections.ConfigureSiloOutboundConnection(c => c.UseClientTls(tls));
        });
        return silo;
    }

    /// <summary>TLS to the gateways, with this process's certificate and the CA check of the silos' certificates.</summary>
    public static IClientBuilder UseClusterTls(this IClientBuilder client, ClusterCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(credentials);
        client.Services.AddOptions<ClientConnectionOptions>().Configure<ILoggerFactory>((connections, loggers) =>
        {
            var tls = Options(credentials, loggers.CreateLogger(LogCategory));
            connections.ConfigureConnection(c => c.UseClientTls(tls));
        });
        return client;
    }

    /// <summary>One line at start-up: what TLS uses, or a warning that it is off (except in Development).</summary>
    public static void LogStartup(ILogger log, ClusterCredentials? credentials, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(environment);
        if (credentials is null)
        {
            if (!environment.IsDevelopment())
            {
                log.LogWarning("Orleans TLS is off: the cluster's connections (silo to silo, web node to gateway) are plain TCP and "
                    + "any process that reaches these ports can call grains. Set Orleans__Tls__Certificate__Path and Orleans__Tls__CaPath "
                    + "(README, \"Several machines\").");
            }
            return;
        }
        var certificate = credentials.Certificate;
        log.LogInformation("Orleans TLS is on: this process shows {Subject} (thumbprint {Thumbprint}, valid until {NotAfter:yyyy-MM-dd}) "
            + "and accepts peers whose certificate is issued by {Authorities}",
            certificate.Subject, certificate.Thumbprint, certificate.NotAfter,
            string.Join("; ", credentials.Authorities.Select(a => a.Subject)));
        if (certificate.NotAfter < DateTime.Now.AddDays(30))
            log.LogWarning("The Orleans TLS certificate {Subject} expires on {NotAfter:yyyy-MM-dd}: issue a new one from the same CA", certificate.Subject, certificate.NotAfter);
    }

    /// <summary>Whether one of <paramref name="authorities"/>, and nothing else, vouches for <paramref name="certificate"/>.</summary>
    public static bool IssuedBy(X509Certificate2 certificate, X509Certificate2Collection authorities, out string problem)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(authorities);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        // A private CA publishes no revocation list: a leaked key is answered by a new CA (README).
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        var trusted = chain.Build(certificate);
        problem = trusted ? "" : string.Join(", ", chain.ChainStatus.Select(s => s.Status).Distinct());
        foreach (var element in chain.ChainElements)
        {
            if (!ReferenceEquals(element.Certificate, certificate))
                element.Certificate.Dispose();
        }
        return trusted;
    }

    private static TlsOptions Options(ClusterCredentials credentials, ILogger log) => new()
    {
        LocalCertificate = credentials.Certificate,
        // Both ends show a certificate, and both check the other's.
        RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
        ClientCertificateMode = RemoteCertificateMode.RequireCertificate,
        // Replaces the platform's verdict (system roots, host name): peers are known by their CA, not by a name or address.
        RemoteCertificateValidation = (peer, _, _) =>
        {
            if (IssuedBy(peer, credentials.Authorities, out var problem))
                return true;
            log.LogWarning("Refused a cluster connection: the peer's certificate {Subject} (issuer {Issuer}, thumbprint {Thumbprint}) "
                + "is not issued by a trusted CA ({Problem})", peer.Subject, peer.Issuer, peer.Thumbprint, problem);
            return false;
        },
    };

    private static X509Certificate2Collection ReadAuthorities(string path)
    {
        var setting = $"{ClusterTlsSettings.Section}:CaPath";
        if (!File.Exists(path))
            throw new InvalidOperationException($"{setting}: there is no file {path}.");
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(path);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new InvalidOperationException($"{setting}: cannot read the PEM certificates in {path} ({e.GetType().Name}).", e);
        }
        if (authorities.Count == 0)
            throw new InvalidOperationException($"{setting}: {path} holds no PEM certificate.");
        return authorities;
    }

    /// <summary>A certificate without the extended key usage extension is fit for any use; one with it, for those it lists.</summary>
    private static bool AllowsUsage(X509Certificate2 certificate, string oid)
    {
        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().ToList();
        return usages.Count == 0 || usages.Any(u => u.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(o => o.Value == oid));
    }
}
