using System.Net;
using Npgsql;
using Outreach.Contracts;
using Outreach.Files;
using Outreach.Model;
using Outreach.Tests.Infrastructure;
using static Outreach.Tests.Api.FamilyFiles;

namespace Outreach.Tests.Api;

/// <summary>A system of its own that exports its traces and metrics to a local OTLP receiver, with verbose request logs.</summary>
public sealed class TelemetrySystemFixture : IAsyncLifetime
{
    private OutreachSystem? _system;

    public OtlpListener Otlp { get; } = new();

    public OutreachSystem System => _system ?? throw new InvalidOperationException("The system is not started.");

    public async Task InitializeAsync()
    {
        // Information for ASP.NET Core and Orleans too (the shipped settings say Warning): request lines and grain
        // activity are where a number in a URL or a key would show.
        var settings = new Dictionary<string, string>(Otlp.Settings)
        {
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Information",
            ["Logging__LogLevel__Orleans"] = "Information",
        };
        _system = await OutreachSystem.StartAsync("phonekey", siloSettings: settings, webSettings: settings);
    }

    public async Task DisposeAsync()
    {
        if (_system is not null)
            await _system.DisposeAsync();
        await Otlp.DisposeAsync();
    }
}

/// <summary>Phone numbers stay out of grain keys, spans, metrics and logs; index entries stored under a plain number move.</summary>
[Category(TestCategory.System)]
public sealed class PhoneKeyTests(TelemetrySystemFixture fixture) : IClassFixture<TelemetrySystemFixture>
{
    private static readonly TimeSpan ExportTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task LookupAndIntake_LeaveNoNumberInSpansMetricsLogsOrGrainKeys()
    {
        var system = fixture.System;
        var (filePhone, callerPhone) = (FreshMobile(), FreshMobile());
        var processes = system.Silos.Select(s => s.Process).Concat(system.WebNodes.Select(w => w.Process)).ToArray();
        foreach (var process in processes)
        {
            process.Watch(filePhone[3..]);
            process.Watch(callerPhone[3..]);
        }
        using var op = await TestUsers.CreateAsync(system.Web, "operator");
        var id = (await CreateAsync(op.Client, filePhone))["id"]!.GetValue<Guid>();

        var (found, files) = await op.Client.PostAsync("/api/workers/lookup", new PhoneLookupRequest("+86 " + filePhone));
        var (searched, page) = await SearchAsync(op.Client, "+86 " + filePhone);
        var (created, request) = await op.Client.PostAsync("/api/requests", new NewRequestBody(
            CallerPhone: "+86-" + callerPhone,
            Category: HelpCategory.Medicine,
            Urgency: Urgency.Urgent,
            Position: new PositionDto(35.7621, 115.0302),
            Address: Address,
            Description: $"回电 {callerPhone}",
            WorkerId: id));
        Assert.Equal(HttpStatusCode.OK, found);
        Assert.Equal(id, Assert.Single(files!.AsArray())!["id"]!.GetValue<Guid>());
        Assert.True(searched == HttpStatusCode.OK, $"search: {(int)searched} {page}");
        Assert.Equal(id, Assert.Single(page!["items"]!.AsArray())!["id"]!.GetValue<Guid>());
        Assert.True(created == HttpStatusCode.Created, $"intake: {(int)created} {request}");

        // Both processes exported the spans of both calls: the web's routes and the grain calls behind them.
        await fixture.Otlp.WaitForTraceAsync(ExportTimeout, "outreach-web", "/api/workers/lookup");
        await fixture.Otlp.WaitForTraceAsync(ExportTimeout, "outreach-web", "/api/workers/search");
        await fixture.Otlp.WaitForTraceAsync(ExportTimeout, "outreach-web", "/api/requests");
        await fixture.Otlp.WaitForTraceAsync(ExportTimeout, "outreach-silo", "PhoneIndexGrain");
        await fixture.Otlp.WaitForTraceAsync(ExportTimeout, "outreach-silo", "HelpRequestGrain");

        foreach (var phone in new[] { filePhone, callerPhone })
        {
            Assert.False(fixture.Otlp.Contains(phone), $"an exported span or metric carries {phone}");
            Assert.False(fixture.Otlp.Contains(phone[3..]), $"an exported span or metric carries the end of {phone}");
            foreach (var process in processes)
                Assert.True(process.Seen(phone[3..]) == 0, $"{process.Name} printed {phone}:\n{process.Tail(80)}");
        }
        Assert.False(fixture.Otlp.Contains("+86"), "an exported span or metric carries +86");
        // Grain keys do travel in spans (the index's hashed key is there), which is why a number must not be one.
        Assert.True(fixture.Otlp.Contains(TestSecrets.PhoneKeys.For("+86" + filePhone)), "the index's key is in no span");
        await using var connection = new NpgsqlConnection(system.ConnectionString);
        await connection.OpenAsync();
        await using var keys = new NpgsqlCommand(
            "SELECT count(*) FROM orleansstorage WHERE grainidextensionstring LIKE '%' || $1 || '%' OR grainidextensionstring LIKE 'phone:%'", connection);
        keys.Parameters.Add(new NpgsqlParameter<string> { TypedValue = filePhone[3..] });
        Assert.Equal(0L, (long)(await keys.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task IndexEntriesStoredUnderThePlainNumber_MoveToTheHashedKeyAtStartUp_MergingWithOneAlreadyThere()
    {
        var system = fixture.System;
        var phone = FreshMobile();
        var e164 = "+86" + phone;
        using var op = await TestUsers.CreateAsync(system.Web, "operator");
        var first = (await CreateAsync(op.Client, phone, "甲"))["id"]!.GetValue<Guid>();
        var second = (await CreateAsync(op.Client, phone, "乙"))["id"]!.GetValue<Guid>();
        var hashed = TestSecrets.PhoneKeys.For(e164);
        Assert.StartsWith(PhoneIndexKeys.Prefix, hashed, StringComparison.Ordinal);

        // As stored before 0010: the entry under "phone:+86…". And, to take the merging path, an entry under the
        // hashed key that lists only the second file (as if it had been added there after the first start-up).
        var silo = system.Silos[0];
        await silo.Process.KillAsync();
        await ExecuteAsync(system, """
            UPDATE orleansstorage SET grainidextensionstring = $2
            WHERE graintypestring = 'phoneIndex' AND grainidextensionstring = $1
            """, hashed, PhoneIndexKeys.LegacyPrefix + e164);
        await ExecuteAsync(system, $$"""
            INSERT INTO orleansstorage (serviceid, graintypestring, grainidn0, grainidn1, grainidextensionstring,
                                        grainidhash, graintypehash, payloadbinary, version)
            VALUES ('outreach', 'phoneIndex', 0, 0, $1, 0, 0, convert_to('{"WorkerIds":["{{second}}"]}', 'UTF8'), 1)
            """, hashed);
        Assert.Equal(2L, await CountAsync(system, PhoneIndexKeys.LegacyPrefix + e164, hashed));

        await system.RestartSiloAsync(silo);
        await WaitUntilReadyAsync(system.Web);
        var (status, files) = await op.Client.PostAsync("/api/workers/lookup", new PhoneLookupRequest(phone));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(new[] { first, second }.Order(), files!.AsArray().Select(f => f!["id"]!.GetValue<Guid>()).Order());
        Assert.Equal(0L, await CountAsync(system, PhoneIndexKeys.LegacyPrefix + e164));
        Assert.Equal(1L, await CountAsync(system, hashed));
    }

    private static async Task ExecuteAsync(OutreachSystem system, string sql, params string[] values)
    {
        await using var connection = new NpgsqlConnection(system.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = value });
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private static async Task<long> CountAsync(OutreachSystem system, params string[] keys)
    {
        await using var connection = new NpgsqlConnection(system.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM orleansstorage WHERE graintypestring = 'phoneIndex' AND grainidextensionstring = ANY($1)", connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keys });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task WaitUntilReadyAsync(WebNode web)
    {
        using var http = new HttpClient { BaseAddress = web.Url, Timeout = TimeSpan.FromSeconds(6) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync("/readyz");
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Still reconnecting.
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The web node was not ready again within 60 s after the silo restarted:\n{web.Process.Tail()}");
            await Task.Delay(250);
        }
    }
}
