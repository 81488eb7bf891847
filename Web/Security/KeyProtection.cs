using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Outreach.ServiceDefaults;

namespace Outreach.Web.Security;

/// <summary>How the data-protection key ring is encrypted at rest (<c>Outreach:DataProtection</c>).</summary>
public sealed class KeyProtectionSettings
{
    public const string Section = "Outreach:DataProtection";

    /// <summary>Encrypts new keys and decrypts every key. Required outside Development.</summary>
    public CertificateFile Certificate { get; set; } = new();

    /// <summary>Certificates that only decrypt: the ones keys were encrypted with before a rotation.</summary>
    public CertificateFile[] PreviousCertificates { get; set; } = [];
}

/// <summary>
/// The data-protection key ring (which signs and encrypts the login cookie) lives in PostgreSQL; each key is encrypted
/// there with the configured certificate's public key (<c>ProtectKeysWithCertificate</c>), so a copy of the database
/// alone cannot forge or read cookies. Outside Development the web node refuses to start without a certificate.
/// </summary>
public static class KeyProtection
{
    public static WebApplicationBuilder AddOutreachKeyProtection(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(KeyProtectionSettings.Section).Get<KeyProtectionSettings>() ?? new();
        var dataProtection = builder.Services.AddDataProtection();
        if (string.IsNullOrWhiteSpace(settings.Certificate.Path))
        {
            if (!builder.Environment.IsDevelopment())
            {
                throw new InvalidOperationException(
                    $"{KeyProtectionSettings.Section}:Certificate:Path is required outside Development: the certificate that encrypts "
                    + "the data-protection keys stored in PostgreSQL (environment Outreach__DataProtection__Certificate__Path, "
                    + "with __Password for a .pfx or __KeyPath for a PEM key; see docs/SECURITY.md).");
            }
            return builder;
        }
        dataProtection.ProtectKeysWithCertificate(Load(settings.Certificate, "Certificate"));
        var previous = settings.PreviousCertificates
            .Select((c, i) => Load(c, $"PreviousCertificates:{i}"))
            .ToArray();
        if (previous.Length > 0)
            dataProtection.UnprotectKeysWithAnyCertificate(previous);
        return builder;
    }

    /// <summary>Loads a certificate and checks that it has its private key (needed to decrypt the keys).</summary>
    public static X509Certificate2 Load(CertificateFile file, string name)
    {
        ArgumentNullException.ThrowIfNull(file);
        return file.Load($"{KeyProtectionSettings.Section}:{name}");
    }
}
