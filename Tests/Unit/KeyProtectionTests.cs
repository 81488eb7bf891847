using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Outreach.ServiceDefaults;
using Outreach.Tests.Infrastructure;
using Outreach.Web.Security;

namespace Outreach.Tests.Unit;

[Category(TestCategory.Unit)]
public sealed class KeyProtectionTests
{
    [Fact]
    public void Load_PemCertificateAndSeparateKey_AsRunShMakesThem_HasThePrivateKey()
    {
        using var key = RSA.Create(2048);
        using var made = new CertificateRequest("CN=outreach-dataprotection", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var certPath = Path.Combine(Path.GetTempPath(), $"dp-{Guid.NewGuid():N}.pem");
        var keyPath = Path.ChangeExtension(certPath, ".key");
        File.WriteAllText(certPath, made.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());

        using var loaded = KeyProtection.Load(new CertificateFile { Path = certPath, KeyPath = keyPath }, "Certificate");

        Assert.True(loaded.HasPrivateKey);
        Assert.Equal(made.Thumbprint, loaded.Thumbprint);
    }

    [Fact]
    public void Load_Pkcs12WithAWrongPassword_SaysWhichSettingAndNeverThePassword()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            KeyProtection.Load(new CertificateFile { Path = TestCertificate.Path, Password = "not-the-secret-pw" }, "Certificate"));

        Assert.Contains("Outreach:DataProtection:Certificate", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret-pw", error.Message, StringComparison.Ordinal);
    }
}
