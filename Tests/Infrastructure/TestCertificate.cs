using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Outreach.Tests.Infrastructure;

/// <summary>
/// The certificate the test web nodes encrypt their data-protection keys with (<c>Outreach:DataProtection:Certificate</c>),
/// made once per test run as a password-protected PKCS#12 file in the temporary directory.
/// </summary>
public static class TestCertificate
{
    public const string Password = "test-certificate-password";

    private static readonly Lazy<string> File = new(() => Create("outreach-tests-keys"));

    /// <summary>The path of the PKCS#12 file.</summary>
    public static string Path => File.Value;

    /// <summary>The settings that point a web node at it.</summary>
    public static IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Outreach__DataProtection__Certificate__Path"] = Path,
        ["Outreach__DataProtection__Certificate__Password"] = Password,
    };

    /// <summary>Makes a new self-signed RSA certificate with its key, saved as PKCS#12; returns the path.</summary>
    public static string Create(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{name}-{Guid.NewGuid():N}.pfx");
        System.IO.File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, Password));
        return path;
    }
}
