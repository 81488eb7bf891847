using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;

namespace Outreach.Tests.Infrastructure;

/// <summary>
/// A CA made in the test (ECDSA P-256), which issues certificates for Orleans TLS (<c>Orleans:Tls</c>) and writes them
/// to the temporary directory: the CA's PEM for <c>CaPath</c>, a process's certificate as PKCS#12 or PEM files.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    public const string Password = "test-cluster-certificate-password";

    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    private readonly string _directory;

    private TestCertificateAuthority(X509Certificate2 certificate, string directory)
    {
        Certificate = certificate;
        _directory = directory;
        PemPath = Path.Combine(directory, "ca.pem");
        File.WriteAllText(PemPath, certificate.ExportCertificatePem() + "\n");
    }

    /// <summary>The CA's certificate, with its key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA's certificate as a PEM file (what <c>Orleans:Tls:CaPath</c> names).</summary>
    public string PemPath { get; }

    /// <summary>A new CA. Two CAs made with the same <paramref name="name"/> differ only in their keys.</summary>
    public static TestCertificateAuthority Create(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2));
        var directory = Path.Combine(Path.GetTempPath(), $"outreach-tls-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        return new TestCertificateAuthority(certificate, directory);
    }

    /// <summary>A certificate with its key for <paramref name="name"/>: a silo's serves and calls, anyone else's only calls.</summary>
    public X509Certificate2 Issue(string name, bool silo)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var usages = new OidCollection { new Oid(ClientAuthentication) };
        if (silo)
            usages.Add(new Oid(ServerAuthentication));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var issued = request.Create(Certificate, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>The <c>Orleans:Tls</c> settings of a process with a new certificate, as a PKCS#12 file with <see cref="Password"/>.</summary>
    public Dictionary<string, string> Pkcs12Settings(string name, bool silo)
    {
        using var certificate = Issue(name, silo);
        var path = Path.Combine(_directory, $"{name}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, Password));
        return new Dictionary<string, string>
        {
            ["Orleans__Tls__Certificate__Path"] = path,
            ["Orleans__Tls__Certificate__Password"] = Password,
            ["Orleans__Tls__CaPath"] = PemPath,
        };
    }

    /// <summary>The <c>Orleans:Tls</c> settings of a process with a new certificate, as PEM files (as <c>run.sh</c> makes them).</summary>
    public Dictionary<string, string> PemSettings(string name, bool silo)
    {
        using var certificate = Issue(name, silo);
        var path = Path.Combine(_directory, $"{name}.pem");
        var keyPath = Path.Combine(_directory, $"{name}.key");
        File.WriteAllText(path, certificate.ExportCertificatePem());
        using var key = certificate.GetECDsaPrivateKey()!;
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return new Dictionary<string, string>
        {
            ["Orleans__Tls__Certificate__Path"] = path,
            ["Orleans__Tls__Certificate__KeyPath"] = keyPath,
            ["Orleans__Tls__CaPath"] = PemPath,
        };
    }

    /// <summary>Process settings (<c>Orleans__Tls__…</c>) as configuration, as a process reads them from its environment.</summary>
    public static IConfiguration Configuration(IReadOnlyDictionary<string, string> settings) => new ConfigurationBuilder()
        .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key.Replace("__", ":", StringComparison.Ordinal), (string?)s.Value)))
        .Build();

    public void Dispose()
    {
        Certificate.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
