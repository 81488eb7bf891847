using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Outreach.Contracts;
using Outreach.Model;
using Outreach.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Outreach.Tests.Faults;

/// <summary>
/// PostgreSQL goes away under a running silo and web node (through a proxy the test cuts, so the shared test
/// server stays up): writes answer 503 with <c>Retry-After</c>, never 500 and never hang, and work again as
/// soon as the database is back.
/// </summary>
[Category(TestCategory.System)]
public sealed class DatabaseOutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan PatienceDuringOutage = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task DatabaseOutage_WritesAnswer503WithRetryAfter_AndTheFirstCallAfterRestoreSucceeds()
    {
        await using var proxy = TcpFaultProxy.Start(TestDatabase.ServerConnectionString);
        await using var system = await OutreachSystem.StartAsync("outage", databaseProxy: proxy);
        using var coordinator = await TestUsers.CreateAsync(system.Web, "coordinator");
        using var hotline = await TestUsers.CreateAsync(system.Web, "operator");
        using var volunteer = await TestUsers.CreateAsync(system.Web, "volunteer");
        var (created, station) = await coordinator.Client.PostAsync("/api/stations", Station("停电前驿站"));
        Assert.True(created == HttpStatusCode.Created, $"creating a station: {(int)created} {station}");
        var stationId = station!["id"]!.GetValue<Guid>();
        var (_, file) = await hotline.Client.PostAsync("/api/workers", FamilyFile());
        var filePath = $"/api/workers/{file!["id"]}";
        var plans = $"{filePath}/care-plans";
        var (planCreated, plan) = await hotline.Client.PostAsync(plans, CarePlan("每周二买菜"));
        Assert.True(planCreated == HttpStatusCode.Created, $"creating a care plan: {(int)planCreated} {plan}");
        var planPath = $"{plans}/{plan!["id"]}";

        proxy.Cut();
        // Active grains (the station, the volunteer) fail to write; new ones (a new station, file or request) fail to load.
        var writes = new (string What, Func<Task<HttpResponseMessage>> Call)[]
        {
            ("update an active station", () => coordinator.Client.Http.PutAsJsonAsync($"/api/stations/{stationId}", Station("停电中驿站"), ApiClient.Json)),
            ("create a station", () => coordinator.Client.Http.PostAsJsonAsync("/api/stations", Station("停电中新驿站"), ApiClient.Json)),
            ("create a family file", () => hotline.Client.Http.PostAsJsonAsync("/api/workers", FamilyFile(), ApiClient.Json)),
            ("submit a request", () => hotline.Client.Http.PostAsJsonAsync("/api/requests", Request(), ApiClient.Json)),
            // A first position report is stored: it cannot be while the database is away.
            ("report a first position", () => volunteer.Client.Http.PostAsJsonAsync("/api/volunteers/me/position", new PositionReport(35.7621, 115.0302, 10), ApiClient.Json)),
            ("go on duty", () => volunteer.Client.Http.PostAsJsonAsync("/api/volunteers/me/duty", new DutyRequest(true), ApiClient.Json)),
            ("edit an active care plan", () => hotline.Client.Http.PutAsJsonAsync(planPath, CarePlan("停电中改计划"), ApiClient.Json)),
            ("create a care plan", () => hotline.Client.Http.PostAsJsonAsync(plans, CarePlan("停电中新计划"), ApiClient.Json)),
            // A read of personal data whose grain is in memory: its audit row cannot be stored, so the data is not given.
            ("read a family file (audited)", () => hotline.Client.Http.GetAsync(filePath)),
        };
        var answers = new List<string>();
        foreach (var (what, call) in writes)
        {
            var clock = Stopwatch.StartNew();
            using var timeout = new CancellationTokenSource(PatienceDuringOutage);
            HttpResponseMessage response;
            try
            {
                response = await call().WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                answers.Add($"{what}: no answer within {PatienceDuringOutage.TotalSeconds} s");
                continue;
            }
            using (response)
            {
                var body = await response.Content.ReadAsStringAsync();
                var retryAfter = response.Headers.RetryAfter?.Delta;
                output.WriteLine($"{what}: {(int)response.StatusCode} in {clock.ElapsedMilliseconds} ms, Retry-After {retryAfter}: {body}");
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable || retryAfter is not { TotalSeconds: > 0 and <= 10 })
                    answers.Add($"{what}: {(int)response.StatusCode}, Retry-After {retryAfter?.ToString() ?? "none"}: {body}");
                else if (body.Contains("Npgsql", StringComparison.Ordinal) || body.Contains("   at ", StringComparison.Ordinal))
                    answers.Add($"{what}: the 503 leaks the exception: {body}");
            }
        }

        proxy.Restore();
        var (after, stationAfter) = await coordinator.Client.PutAsync($"/api/stations/{stationId}", Station("恢复后驿站"));
        var (planAfter, planBody) = await hotline.Client.PutAsync(planPath, CarePlan("恢复后改计划"));
        var (_, planList) = await hotline.Client.GetAsync(plans);

        output.WriteLine(system.Web.Process.Tail(60));
        Assert.True(answers.Count == 0, "during the outage:\n" + string.Join("\n", answers) + "\n\nweb log:\n" + system.Web.Process.Tail(30));
        Assert.True(after == HttpStatusCode.OK, $"first write after the restore: {(int)after} {stationAfter}");
        Assert.Equal("恢复后驿站", stationAfter!["name"]!.GetValue<string>());
        Assert.True(planAfter == HttpStatusCode.OK, $"first care plan edit after the restore: {(int)planAfter} {planBody}");
        // The plan created while the database was down was never stored: only the first plan is listed, as last saved.
        Assert.Equal("恢复后改计划", Assert.Single(planList!.AsArray())!["notes"]!.GetValue<string>());
    }

    private static object CarePlan(string notes) => new
    {
        category = "Groceries",
        schedule = new { kind = "weekly", days = new[] { "Tue" }, window = new { from = "09:00", to = "11:00" } },
        startDate = "2026-12-01",
        position = new { lat = 35.7621, lon = 115.0302 },
        address = "华龙区 中原路 2号院",
        notes,
    };

    private static object Station(string name) => new
    {
        name, address = "华龙区 测试路 1号", position = new { lat = 35.76, lon = 115.03 },
    };

    private static object FamilyFile() => new
    {
        workerName = "停电测试",
        workerPhone = "+86 13803939999",
        posting = "中原油田 伊拉克哈法亚项目",
        familyMembers = new object[] { new { name = "王芳", relation = "妻子", phone = "13803939998" } },
        addresses = new object[] { new { label = "家", text = "华龙区 中原路 2号院", position = new { lat = 35.7621, lon = 115.0302 } } },
    };

    private static NewRequestBody Request() => new(
        CallerPhone: "13803930001",
        Category: HelpCategory.Medicine,
        Urgency: Urgency.Urgent,
        Position: new PositionDto(35.7621, 115.0302),
        Address: "华龙区 中原路 2号院 5号楼 301",
        Description: "停电测试");
}
