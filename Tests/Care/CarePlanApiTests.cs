using System.Net;
using System.Text.Json.Nodes;
using Outreach.Contracts;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Care;

/// <summary>
/// The care plan API over real processes: create, read, edit, pause, delete (each audited), bad input named and
/// nothing stored, the coordinators' upcoming list with where each occurrence stands.
/// </summary>
[Collection(SystemCollection.Name)]
[Category(TestCategory.System)]
public sealed class CarePlanApiTests(SystemFixture fixture)
{
    private static FamilyFileRequest FamilyFile(string name) => new(
        name,
        WorkerPhone: "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture),
        Posting: "中原油田 伊拉克哈法亚项目",
        Addresses: [new FamilyAddressDto("家", "华龙区 中原路 2号院 5号楼 301", new PositionDto(35.7621, 115.0302))]);

    private static object Plan(object schedule, string startDate = "2026-12-01", string? endDate = null, bool paused = false,
        Guid? preferredVolunteerId = null) => new
    {
        category = "Groceries",
        schedule,
        startDate,
        endDate,
        paused,
        position = new { lat = 35.7621, lon = 115.0302 },
        address = "华龙区 中原路 2号院 5号楼 301",
        notes = "每周二、五买菜",
        preferredVolunteerId,
    };

    private static readonly object TuesdaysAndFridays = new { kind = "weekly", days = new[] { "Tue", "Fri" }, window = new { from = "09:00", to = "11:00" } };

    private async Task<(TestUser Op, Guid Worker)> FamilyAsync(string name)
    {
        var op = await TestUsers.CreateAsync(fixture.Web, "operator");
        var (status, file) = await op.Client.PostAsync("/api/workers", FamilyFile(name));
        Assert.True(status == HttpStatusCode.Created, $"creating the file: {(int)status} {file}");
        return (op, file!["id"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task Create_ReplayedAfterThePlanWasDeleted_Is400NamingTheKey_NotACreatedPlanThatIsGone()
    {
        var (op, worker) = await FamilyAsync("孔祥云");
        using var _ = op;
        var plans = $"/api/workers/{worker}/care-plans";
        var key = "plan-" + Guid.NewGuid();

        var created = await CreateWithKeyAsync(op.Client, plans, key);
        var planPath = $"{plans}/{System.Text.Json.Nodes.JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]}";
        var (deleted, _) = await op.Client.SendAsync(HttpMethod.Delete, planPath);
        using var replayed = await CreateWithKeyAsync(op.Client, plans, key);
        var problem = System.Text.Json.Nodes.JsonNode.Parse(await replayed.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
        Assert.NotNull(problem["errors"]!["Idempotency-Key"]);
        created.Dispose();
    }

    private static async Task<HttpResponseMessage> CreateWithKeyAsync(ApiClient client, string plans, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, plans) { Content = System.Net.Http.Json.JsonContent.Create(Plan(TuesdaysAndFridays)) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.Http.SendAsync(request);
    }

    [Fact]
    public async Task Plan_IsCreatedReadEditedPausedAndDeleted_EachStepAudited()
    {
        var (op, worker) = await FamilyAsync("陈志强");
        using var _ = op;
        var plans = $"/api/workers/{worker}/care-plans";

        var (created, plan) = await op.Client.PostAsync(plans, Plan(TuesdaysAndFridays));
        var planPath = $"{plans}/{plan!["id"]}";
        var (_, list) = await op.Client.GetAsync(plans);
        var (_, read) = await op.Client.GetAsync(planPath);
        var (edited, paused) = await op.Client.PutAsync(planPath, Plan(TuesdaysAndFridays, paused: true));
        var (deleted, _) = await op.Client.SendAsync(HttpMethod.Delete, planPath);
        var (afterDelete, _) = await op.Client.GetAsync(planPath);
        var (_, listAfter) = await op.Client.GetAsync(plans);
        var (editDeleted, _) = await op.Client.PutAsync(planPath, Plan(TuesdaysAndFridays));

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(["Tue", "Fri"], plan["schedule"]!["days"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal(3, plan["next"]!.AsArray().Count);
        Assert.All(plan["next"]!.AsArray(), o => Assert.Contains(
            DateOnly.Parse(o!["date"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).DayOfWeek,
            new[] { DayOfWeek.Tuesday, DayOfWeek.Friday }));
        Assert.Equal(plan["id"]!.GetValue<Guid>(), Assert.Single(list!.AsArray())!["id"]!.GetValue<Guid>());
        Assert.Equal("华龙区 中原路 2号院 5号楼 301", read!["address"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, edited);
        Assert.True(paused!["paused"]!.GetValue<bool>());
        Assert.Empty(paused["next"]!.AsArray()); // a paused plan has no next occurrence
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        Assert.Equal(HttpStatusCode.NotFound, afterDelete);
        Assert.Empty(listAfter!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, editDeleted);

        using var admin = await fixture.Web.AdminAsync();
        var (_, audit) = await admin.GetAsync($"/api/audit?subject={worker}&pageSize=50");
        var actions = audit!["items"]!.AsArray().Select(r => r!["action"]!.GetValue<string>()).ToArray();
        foreach (var action in new[] { "careplan.create", "careplan.read", "careplan.update", "careplan.delete" })
            Assert.Contains(action, actions);
    }

    public static TheoryData<string, object, string> BadPlans => new()
    {
        { "window ends before it starts", Plan(new { kind = "weekly", days = new[] { "Tue" }, window = new { from = "11:00", to = "09:00" } }), "schedule.window" },
        { "no days", Plan(new { kind = "weekly", days = Array.Empty<string>(), window = new { from = "09:00", to = "11:00" } }), "schedule.days" },
        { "a day twice (overlapping windows)", Plan(new { kind = "weekly", days = new[] { "Tue", "Tue" }, window = new { from = "09:00", to = "11:00" } }), "schedule.days" },
        { "end before start", Plan(TuesdaysAndFridays, endDate: "2026-11-01"), "endDate" },
        { "every 0 days", Plan(new { kind = "everyNDays", n = 0, window = new { from = "09:00", to = "11:00" } }), "schedule.n" },
        { "time not HH:mm", Plan(new { kind = "weekly", days = new[] { "Tue" }, window = new { from = "9", to = "11:00" } }), "schedule.window.from" },
        { "preferred helper not a volunteer", Plan(TuesdaysAndFridays, preferredVolunteerId: Guid.NewGuid()), "preferredVolunteerId" },
    };

    [Theory]
    [MemberData(nameof(BadPlans))]
    public async Task BadPlan_Returns400NamingTheField_AndStoresNothing(string why, object body, string field)
    {
        var (op, worker) = await FamilyAsync("赵丽");
        using var _ = op;

        var (status, problem) = await op.Client.PostAsync($"/api/workers/{worker}/care-plans", body);
        var (_, list) = await op.Client.GetAsync($"/api/workers/{worker}/care-plans");

        Assert.True(status == HttpStatusCode.BadRequest, $"{why}: {(int)status} {problem}");
        Assert.True(problem!["errors"]?[field] is not null, $"{why}: expected {field} named in {problem}");
        Assert.Empty(list!.AsArray());
    }

    [Fact]
    public async Task Plan_OfAnUnknownFamily_Is404_AndAPlanIsOnlyFoundUnderItsFamily()
    {
        var (op, worker) = await FamilyAsync("孙伟");
        using var _ = op;
        var (_, other) = await op.Client.PostAsync("/api/workers", FamilyFile("周敏"));
        var (_, plan) = await op.Client.PostAsync($"/api/workers/{worker}/care-plans", Plan(TuesdaysAndFridays));

        var (unknown, _) = await op.Client.PostAsync($"/api/workers/{Guid.NewGuid()}/care-plans", Plan(TuesdaysAndFridays));
        var (elsewhere, _) = await op.Client.GetAsync($"/api/workers/{other!["id"]}/care-plans/{plan!["id"]}");
        var (deleteElsewhere, _) = await op.Client.SendAsync(HttpMethod.Delete, $"/api/workers/{other["id"]}/care-plans/{plan["id"]}");
        var (still, _) = await op.Client.GetAsync($"/api/workers/{worker}/care-plans/{plan["id"]}");

        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Equal(HttpStatusCode.NotFound, elsewhere);
        Assert.Equal(HttpStatusCode.NotFound, deleteElsewhere);
        Assert.Equal(HttpStatusCode.OK, still);
    }

    [Fact]
    public async Task Upcoming_ListsTodaysAndTomorrowsOccurrences_ForCoordinators_WithoutPhoneOrAddress()
    {
        var (op, worker) = await FamilyAsync("钱秀兰");
        using var _ = op;
        using var coordinator = await TestUsers.CreateAsync(fixture.Web, "coordinator");
        var today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var daily = new { kind = "everyNDays", n = 1, window = new { from = "23:58", to = "23:59" } };
        var (_, plan) = await op.Client.PostAsync($"/api/workers/{worker}/care-plans", Plan(daily, startDate: today));
        var planId = plan!["id"]!.GetValue<Guid>();

        var (status, upcoming) = await coordinator.Client.GetAsync("/api/care-plans/upcoming");
        var (_, unassigned) = await coordinator.Client.GetAsync("/api/care-plans/upcoming?unassigned=true");
        var (forbidden, _) = await op.Client.GetAsync("/api/care-plans/upcoming");
        var (badFrom, fromProblem) = await coordinator.Client.GetAsync("/api/care-plans/upcoming?from=yesterday");
        var (tooLong, toProblem) = await coordinator.Client.GetAsync("/api/care-plans/upcoming?from=2026-12-01&to=2027-03-01");
        var (farFrom, farFromProblem) = await coordinator.Client.GetAsync("/api/care-plans/upcoming?from=9999-12-30T00:00:00Z&to=9999-12-31T00:00:00Z");
        var (farTo, farToProblem) = await coordinator.Client.GetAsync("/api/care-plans/upcoming?from=2199-12-31&to=9999-12-31T10:00:00Z");

        Assert.Equal(HttpStatusCode.OK, status);
        JsonNode[] mine = [.. upcoming!.AsArray().Where(o => o!["planId"]!.GetValue<Guid>() == planId).Select(o => o!)];
        Assert.Equal(2, mine.Length); // today's and tomorrow's
        Assert.All(mine, o =>
        {
            Assert.Equal("钱秀兰", o["workerName"]!.GetValue<string>());
            Assert.Equal(CareOccurrenceId(planId, o["date"]!.GetValue<string>()), o["requestId"]!.GetValue<Guid>());
            Assert.False(o["hasHelper"]!.GetValue<bool>());
            Assert.Null(o["address"]);
            Assert.Null(o["callerPhone"]);
        });
        Assert.Equal(2, unassigned!.AsArray().Count(o => o!["planId"]!.GetValue<Guid>() == planId));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        Assert.Equal(HttpStatusCode.BadRequest, badFrom);
        Assert.NotNull(fromProblem!["errors"]!["from"]);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong);
        Assert.NotNull(toProblem!["errors"]!["to"]);
        Assert.Equal(HttpStatusCode.BadRequest, farFrom); // near the calendar's end: a 400, not the arithmetic's 500
        Assert.NotNull(farFromProblem!["errors"]!["from"]);
        Assert.Equal(HttpStatusCode.BadRequest, farTo);
        Assert.NotNull(farToProblem!["errors"]!["to"]);
    }

    private static Guid CareOccurrenceId(Guid planId, string date) =>
        Outreach.Care.CareOccurrences.RequestId(planId, DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture));
}
