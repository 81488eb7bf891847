using System.Net;
using System.Net.Http.Json;
using Npgsql;
using Outreach.Contracts;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Api;

/// <summary>The cookie's flags per environment, forwarded headers, encrypted keys at rest, and what start-up logs.</summary>
[Collection(SystemCollection.Name)]
[Category(TestCategory.System)]
public sealed class SecuritySetupTests(SystemFixture fixture)
{
    [Fact]
    public async Task Cookie_InDevelopmentOverHttp_IsOutreachAuth_HttpOnly_NotSecure()
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = fixture.Web.Url };

        using var response = await http.PostAsJsonAsync("/api/auth/login", new LoginRequest(OutreachSystem.AdminLogin, OutreachSystem.AdminPassword));
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));

        Assert.StartsWith("outreach.auth=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Cookie_OutsideDevelopment_IsHostPrefixedAndSecure_AndWorksBehindAKnownProxySayingHttps()
    {
        var production = await ExtraNodes.GetAsync(fixture.System, "production", new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Outreach__ForwardedHeaders__KnownProxies__0"] = "127.0.0.1",
        });
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = production.Url };

        using var login = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            Content = JsonContent.Create(new LoginRequest(OutreachSystem.AdminLogin, OutreachSystem.AdminPassword)),
        };
        login.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await http.SendAsync(login);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        using var me = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        me.Headers.Add("X-Forwarded-Proto", "https");
        me.Headers.Add("Cookie", cookie.Split(';')[0]);
        using var meResponse = await http.SendAsync(me);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("__Host-outreach.auth=", cookie, StringComparison.Ordinal);
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, meResponse.StatusCode);
    }

    [Fact]
    public async Task WebNode_OutsideDevelopmentWithoutACertificate_RefusesToStart_NamingTheSetting()
    {
        var process = fixture.System.LaunchWeb(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Outreach__DataProtection__Certificate__Path"] = "",
        });

        // Waiting for the exit (not polling HasExited) also waits until the last lines printed have been read.
        await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(process.Printed("Outreach:DataProtection:Certificate:Path is required outside Development"), process.Tail());
    }

    [Fact]
    public async Task DataProtectionKeys_AreStoredEncryptedWithTheCertificate()
    {
        using (await fixture.Web.AdminAsync())
        {
            // A login makes sure the key ring has a key.
        }
        await using var connection = new NpgsqlConnection(fixture.System.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT xml FROM outreach_dataprotection_keys", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync())
            keys.Add(reader.GetString(0));

        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal);
            Assert.Contains("EncryptedXmlDecryptor", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void StartUpLogs_OfSiloAndWeb_HoldNoPassword()
    {
        var databasePassword = new NpgsqlConnectionStringBuilder(fixture.System.ProcessConnectionString).Password;
        var secrets = new[] { OutreachSystem.AdminPassword, TestCertificate.Password, databasePassword }
            .Where(s => !string.IsNullOrEmpty(s)).ToArray();
        var processes = fixture.System.Silos.Select(s => s.Process).Concat(fixture.System.WebNodes.Select(w => w.Process)).ToList();

        Assert.NotEmpty(processes);
        foreach (var process in processes)
        {
            foreach (var secret in secrets)
                Assert.False(process.Printed(secret!), $"{process.Name} printed a secret:\n{process.Tail()}");
        }
    }
}
