using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Outreach.ServiceDefaults;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary>How a process reads Orleans:Tls at start-up: off, on, or a refusal that names the setting.</summary>
[Category(TestCategory.Unit)]
public sealed class ClusterTlsSettingsTests : IDisposable
{
    private readonly TestCertificateAuthority _authority = TestCertificateAuthority.Create("Outreach unit CA");
    private readonly TestCertificateAuthority _other = TestCertificateAuthority.Create("Outreach unit CA");

    [Fact]
    public void Read_WithoutSettings_IsOff()
    {
        Assert.Null(ClusterTls.Read(Configuration([]), ClusterRole.Silo));
    }

    [Fact]
    public void Read_ASiloCertificateOfTheCa_IsOn()
    {
        var credentials = ClusterTls.Read(Configuration(_authority.PemSettings("silo", silo: true)), ClusterRole.Silo);

        Assert.NotNull(credentials);
        Assert.True(credentials.Certificate.HasPrivateKey);
        Assert.Equal(_authority.Certificate.Thumbprint, Assert.Single(credentials.Authorities).Thumbprint);
    }

    [Fact]
    public void Read_ACertificateWithoutTheCaFile_NamesCaPath()
    {
        var settings = _authority.PemSettings("web", silo: false);
        settings.Remove("Orleans__Tls__CaPath");

        var error = Assert.Throws<InvalidOperationException>(() => ClusterTls.Read(Configuration(settings), ClusterRole.Client));

        Assert.Contains("Orleans:Tls:CaPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ACertificateOfAnotherCaOfTheSameName_IsRefused()
    {
        var settings = _other.PemSettings("web", silo: false);
        settings["Orleans__Tls__CaPath"] = _authority.PemPath;

        var error = Assert.Throws<InvalidOperationException>(() => ClusterTls.Read(Configuration(settings), ClusterRole.Client));

        Assert.Contains("is not issued by a CA of Orleans:Tls:CaPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ACaFileWithTwoCas_AsDuringAChangeOfCa_TrustsCertificatesOfBoth()
    {
        var both = Path.Combine(Path.GetTempPath(), $"outreach-two-cas-{Guid.NewGuid():N}.pem");
        File.WriteAllText(both, File.ReadAllText(_authority.PemPath) + File.ReadAllText(_other.PemPath));
        try
        {
            var settings = _other.PemSettings("web", silo: false);
            settings["Orleans__Tls__CaPath"] = both;
            var credentials = ClusterTls.Read(Configuration(settings), ClusterRole.Client)!;
            using var ofTheFirst = _authority.Issue("silo", silo: true);

            Assert.Equal(2, credentials.Authorities.Count);
            Assert.True(ClusterTls.IssuedBy(ofTheFirst, credentials.Authorities, out var problem), problem);
        }
        finally
        {
            File.Delete(both);
        }
    }

    [Fact]
    public void Read_AWebCertificateForASilo_SaysItCannotServe()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            ClusterTls.Read(Configuration(_authority.PemSettings("web", silo: false)), ClusterRole.Silo));

        Assert.Contains("server authentication", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Pkcs12WithAWrongPassword_NamesTheSettingAndNeverThePassword()
    {
        var settings = _authority.Pkcs12Settings("silo", silo: true);
        settings["Orleans__Tls__Certificate__Password"] = "not-the-cluster-pw";

        var error = Assert.Throws<InvalidOperationException>(() => ClusterTls.Read(Configuration(settings), ClusterRole.Silo));

        Assert.Contains("Orleans:Tls:Certificate", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-cluster-pw", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Production", 1)]
    [InlineData("Development", 0)]
    public void LogStartup_WithoutTls_WarnsOnceOutsideDevelopment(string environment, int warnings)
    {
        var log = new ListLogger<ClusterTlsSettingsTests>();

        ClusterTls.LogStartup(log, credentials: null, new HostingEnvironment { EnvironmentName = environment });

        Assert.Equal(warnings, log.Lines.Count(l => l.Level == LogLevel.Warning && l.Message.StartsWith("Orleans TLS is off", StringComparison.Ordinal)));
        Assert.Equal(warnings, log.Lines.Count);
    }

    public void Dispose()
    {
        _authority.Dispose();
        _other.Dispose();
    }

    private static IConfiguration Configuration(Dictionary<string, string> settings) => TestCertificateAuthority.Configuration(settings);
}
