using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using Outreach.Contracts;
using Outreach.Tests.Infrastructure;
using static Outreach.Tests.Api.FamilyFiles;

namespace Outreach.Tests.Api;

/// <summary>The access audit: every read of personal data and every change recorded, append-only, read by administrators.</summary>
[Collection(SystemCollection.Name)]
[Category(TestCategory.System)]
public sealed class AuditTests(SystemFixture fixture)
{
    [Fact]
    public async Task FileReadAndChange_AreAudited_WithWhoAndTheKind_NeverThePhoneOrAddress()
    {
        using var op = await TestUsers.CreateAsync(fixture.Web, "operator");
        var phone = FreshMobile();
        var id = (await CreateAsync(op.Client, phone))["id"]!.GetValue<Guid>();
        await op.Client.PutAsync($"/api/workers/{id}", NewFile(phone, "李强强"));
        var (read, _) = await op.Client.GetAsync($"/api/workers/{id}");

        var rows = await AuditAsync($"subject={id}");

        Assert.Equal(HttpStatusCode.OK, read);
        Assert.Equal(["file.read", "file.update", "file.create"], rows.Select(r => r["action"]!.GetValue<string>()));
        Assert.All(rows, r =>
        {
            Assert.Equal(op.AccountId, r["actorId"]!.GetValue<Guid>());
            Assert.Equal(op.Login, r["actorLogin"]!.GetValue<string>());
            Assert.Equal("operator", r["actorRoles"]!.GetValue<string>());
            Assert.Equal("file", r["subjectKind"]!.GetValue<string>());
        });
        Assert.Contains("workerName", rows[1]["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        AssertNoPersonalData(rows, phone);
    }

    [Fact]
    public async Task PhoneLookup_IsAuditedWithTheFileFound_NotTheNumber()
    {
        using var op = await TestUsers.CreateAsync(fixture.Web, "operator");
        var phone = FreshMobile();
        var id = (await CreateAsync(op.Client, phone))["id"]!.GetValue<Guid>();

        var (status, found) = await op.Client.PostAsync("/api/workers/lookup", new PhoneLookupRequest(phone));
        var (missStatus, _) = await op.Client.PostAsync("/api/workers/lookup", new PhoneLookupRequest(FreshMobile()));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(id, Assert.Single(found!.AsArray())!["id"]!.GetValue<Guid>());
        Assert.Equal(HttpStatusCode.OK, missStatus);
        var mine = await AuditAsync($"actor={op.Login}");
        Assert.Contains(mine, r => r["action"]!.GetValue<string>() == "phone.lookup" && r["subjectId"]?.GetValue<Guid>() == id);
        Assert.Contains(mine, r => r["action"]!.GetValue<string>() == "phone.lookup" && r["subjectId"] is null
            && r["detail"]!.GetValue<string>() == "no file");
        AssertNoPersonalData(mine, phone);
    }

    /// <summary>
    /// An intake writes the family's phone, address and needs: its audit row is written by the statement that stores
    /// the request, so a request is never stored without it — and the same intake sent again (its answer lost) stores
    /// nothing and records nothing twice.
    /// </summary>
    [Fact]
    public async Task Intake_IsAuditedOnce_WithTheRequestItCreated_AndSentAgainIsNotAuditedTwice()
    {
        using var op = await TestUsers.CreateAsync(fixture.Web, "operator");
        var scene = new Outreach.Tests.Dispatch.Scene(fixture.Web);
        var key = $"intake-audit-{Guid.NewGuid():N}";

        var (created, body) = await scene.PostRequestAsync(op.Client, key: key);
        var (again, repeat) = await scene.PostRequestAsync(op.Client, key: key);

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(HttpStatusCode.Created, again);
        var id = body!["id"]!.GetValue<Guid>();
        Assert.Equal(id, repeat!["id"]!.GetValue<Guid>());
        var row = Assert.Single(await AuditAsync($"subject={id}"));
        Assert.Equal(("request.create", "request", "intake"),
            (row["action"]!.GetValue<string>(), row["subjectKind"]!.GetValue<string>(), row["detail"]!.GetValue<string>()));
        Assert.Equal((op.AccountId, op.Login, "operator"),
            (row["actorId"]!.GetValue<Guid>(), row["actorLogin"]!.GetValue<string>(), row["actorRoles"]!.GetValue<string>()));
        AssertNoPersonalData([row], "13803930001");
    }

    [Fact]
    public async Task FileTrail_OutlivesTwoHundredChanges_AndComesFromTheAudit()
    {
        using var op = await TestUsers.CreateAsync(fixture.Web, "operator");
        var phone = FreshMobile();
        var id = (await CreateAsync(op.Client, phone))["id"]!.GetValue<Guid>();

        for (var i = 0; i < 205; i++)
        {
            var (status, body) = await op.Client.PutAsync($"/api/workers/{id}", NewFile(phone, "李强" + i));
            Assert.True(status == HttpStatusCode.OK, $"update {i}: {(int)status} {body}");
        }
        var (_, file) = await op.Client.GetAsync($"/api/workers/{id}");

        var changes = file!["changes"]!.AsArray();
        Assert.Equal(206, changes.Count);
        Assert.Equal("created", changes[0]!["what"]!.GetValue<string>());
        Assert.Contains(op.Login, changes[^1]!["actor"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_IsForAdministratorsOnly_PagedNewestFirst_AndItsReadingIsAudited()
    {
        using var op = await TestUsers.CreateAsync(fixture.Web, "operator");
        using var coordinator = await TestUsers.CreateAsync(fixture.Web, "coordinator");
        var id = (await CreateAsync(op.Client, FreshMobile()))["id"]!.GetValue<Guid>();
        for (var i = 0; i < 3; i++)
            await op.Client.GetAsync($"/api/workers/{id}");
        using var admin = await fixture.Web.AdminAsync();

        var (forbidden, _) = await coordinator.Client.GetAsync("/api/audit");
        var (_, first) = await admin.GetAsync($"/api/audit?subject={id}&pageSize=2");
        var (_, second) = await admin.GetAsync($"/api/audit?subject={id}&pageSize=2&page=2");
        var (tooBig, problem) = await admin.GetAsync("/api/audit?pageSize=201");
        var (badSubject, _) = await admin.GetAsync("/api/audit?subject=13803930001");
        var (_, future) = await admin.GetAsync($"/api/audit?subject={id}&from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}");
        var (_, byNumber) = await admin.GetAsync("/api/audit?actor=13803930001");
        var (_, audits) = await admin.GetAsync("/api/audit?actor=admin&pageSize=200");

        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        Assert.Equal(2, first!["items"]!.AsArray().Count);
        Assert.True(first["hasMore"]!.GetValue<bool>());
        var times = first["items"]!.AsArray().Concat(second!["items"]!.AsArray()).Select(r => r!["at"]!.GetValue<DateTimeOffset>()).ToArray();
        Assert.Equal(times.OrderByDescending(t => t), times);
        Assert.Equal(["file.read", "file.read", "file.read", "file.create"],
            first["items"]!.AsArray().Concat(second["items"]!.AsArray()).Select(r => r!["action"]!.GetValue<string>()));
        Assert.False(second["hasMore"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.BadRequest, tooBig);
        Assert.Contains("pageSize", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badSubject);
        Assert.Empty(future!["items"]!.AsArray());
        Assert.Contains(audits!["items"]!.AsArray(), r => r!["action"]!.GetValue<string>() == "audit.read"
            && r["detail"]!.GetValue<string>().Contains($"subject={id}", StringComparison.Ordinal));
        Assert.Empty(byNumber!["items"]!.AsArray());
        Assert.Contains(audits["items"]!.AsArray(), r => r!["action"]!.GetValue<string>() == "audit.read"
            && r["detail"]!.GetValue<string>().StartsWith("actor=(a phone number)", StringComparison.Ordinal));
        Assert.DoesNotContain(audits["items"]!.AsArray(), r => r!["detail"]?.GetValue<string>().Contains("3930001", StringComparison.Ordinal) == true);
    }

    [Theory]
    [InlineData("UPDATE outreach_audit SET detail = 'x'")]
    [InlineData("DELETE FROM outreach_audit")]
    [InlineData("TRUNCATE outreach_audit")]
    public async Task AuditTable_RefusesEveryChangeButInsert(string sql)
    {
        using var op = await TestUsers.CreateAsync(fixture.Web, "operator");
        await CreateAsync(op.Client, FreshMobile());
        await using var connection = new NpgsqlConnection(fixture.System.ConnectionString);
        await connection.OpenAsync();
        var before = await CountAsync(connection);

        await using var command = new NpgsqlCommand(sql, connection);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.Contains("append-only", refused.MessageText, StringComparison.Ordinal);
        Assert.True(await CountAsync(connection) >= before);
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection)
    {
        await using var count = new NpgsqlCommand("SELECT count(*) FROM outreach_audit", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private async Task<JsonNode[]> AuditAsync(string query)
    {
        using var admin = await fixture.Web.AdminAsync();
        var (status, page) = await admin.GetAsync("/api/audit?pageSize=200&" + query);
        Assert.True(status == HttpStatusCode.OK, $"GET /api/audit?{query}: {(int)status} {page}");
        return [.. page!["items"]!.AsArray().OfType<JsonNode>()];
    }

    private static void AssertNoPersonalData(IEnumerable<JsonNode> rows, string phone)
    {
        foreach (var row in rows)
        {
            var text = row.ToJsonString();
            Assert.DoesNotContain(phone[3..], text, StringComparison.Ordinal);
            Assert.DoesNotContain("中原路", text, StringComparison.Ordinal);
        }
    }
}
