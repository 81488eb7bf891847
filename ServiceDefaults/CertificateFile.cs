using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Outreach.ServiceDefaults;

/// <summary>A certificate with its private key, from files: a PKCS#12 file and its password, or PEM files.</summary>
public sealed class CertificateFile
{
    /// <summary>A <c>.pfx</c>/<c>.p12</c> file, or a PEM certificate (<c>.pem</c>, <c>.crt</c>).</summary>
    public string? Path { get; set; }

    /// <summary>The password of a PKCS#12 file.</summary>
    public string? Password { get; set; }

    /// <summary>The PEM private key, when not in the <see cref="Path"/> file itself.</summary>
    public string? KeyPath { get; set; }

    /// <summary>
    /// Loads the certificate and checks that it has its private key. Errors name <paramref name="setting"/> (e.g.
    /// <c>Outreach:DataProtection:Certificate</c>) and the file, never the password.
    /// </summary>
    public X509Certificate2 Load(string setting)
    {
        if (string.IsNullOrWhiteSpace(Path))
            throw new InvalidOperationException($"{setting}:Path is empty.");
        if (!File.Exists(Path))
            throw new InvalidOperationException($"{setting}:Path: there is no file {Path}.");
        X509Certificate2 certificate;
        try
        {
            var pem = KeyPath is not null || File.ReadAllText(Path).Contains("-----BEGIN", StringComparison.Ordinal);
            certificate = pem
                ? X509Certificate2.CreateFromPemFile(Path, KeyPath)
                : X509CertificateLoader.LoadPkcs12FromFile(Path, Password);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"{setting}: cannot read the certificate in {Path} (wrong password or format: {e.GetType().Name}).", e);
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new InvalidOperationException($"{setting}: the certificate in {Path} has no private key.");
        }
        return certificate;
    }
}
