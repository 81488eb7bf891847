using System.Net;
using Npgsql;
using Outreach.Contracts;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Api;

[Collection(SystemCollection.Name)]
[Category(TestCategory.System)]
public sealed class RosterTests(SystemFixture fixture)
{
    private static StationRequest NewStation(string name) => new(
        name, "华龙区 胜利路 100号", new PositionDto(35.7650, 115.0250), CircleRadiusM: 2000, Phone: "0393-4812345",
        Kits: [new KitDto("急救包", 3), new KitDto("血压计", 2)]);

    [Fact]
    public async Task Import_SentAgainAfterA503PartWay_WithTheSameKey_MakesEachVolunteerOnce()
    {
        using var coordinator = await TestUsers.CreateAsync(fixture.Web, "coordinator");
        var tag = Guid.NewGuid().ToString("N")[..6];
        var (one, two) = ($"甲{tag}", $"乙{tag}");
        var csv = $"name,phone,skills,travelMode\n{one},13912341001,Meals,Bike\n{two},13912341002,Escort,Walk\n";
        var key = Guid.NewGuid().ToString();

        // The second line's listing fails after its volunteer is written: the import answers 503 part-way.
        HttpStatusCode failed;
        await using (await StorageFaults.FailWritesAsync(fixture.System.ConnectionString, "outreach_directory_entries", $"NEW.entry::text LIKE '%{two}%'"))
        {
            using var first = await ImportAsync(coordinator.Client, csv, key);
            failed = first.StatusCode;
        }
        using var again = await ImportAsync(coordinator.Client, csv, key);
        var report = System.Text.Json.Nodes.JsonNode.Parse(await again.Content.ReadAsStringAsync())!;
        var (_, list) = await coordinator.Client.GetAsync("/api/volunteers");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(2, report["imported"]!.GetValue<int>());
        var names = list!.AsArray().Select(v => v!["name"]!.GetValue<string>()).Where(n => n.EndsWith(tag, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { one, two }.Order(StringComparer.Ordinal), names); // each once
    }

    private static async Task<HttpResponseMessage> ImportAsync(ApiClient client, string csv, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/volunteers/import")
        {
            Content = new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"),
        };
        request.Headers.Add("Idempotency-Key", key);
        return await client.Http.SendAsync(request);
    }

    [Fact]
    public async Task Station_CreateUpdateList_RoundTrips()
    {
        using var coordinator = await TestUsers.CreateAsync(fixture.Web, "coordinator");
        using var op = await TestUsers.CreateAsync(fixture.Web, "operator");
        var name = "驿站-" + Guid.NewGuid().ToString("N")[..6];

        var (created, body) = await coordinator.Client.PostAsync("/api/stations", NewStation(name));
        var id = body!["id"]!.GetValue<Guid>();
        var (updated, station) = await coordinator.Client.PutAsync($"/api/stations/{id}", NewStation(name + "（新）"));
        var (listed, list) = await op.Client.GetAsync("/api/stations");

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(HttpStatusCode.OK, updated);
        Assert.Equal(name + "（新）", station!["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, listed);
        var entry = list!.AsArray().Single(s => s!["id"]!.GetValue<Guid>() == id)!;
        Assert.Equal(name + "（新）", entry["name"]!.GetValue<string>());
        Assert.Equal(2, entry["kits"]!.AsArray().Count);
    }

    [Fact]
    public async Task Volunteer_CreateWithStation_JoinsRosterAndList()
    {
        using var coordinator = await TestUsers.CreateAsync(fixture.Web, "coordinator");
        var (_, station) = await coordinator.Client.PostAsync("/api/stations", NewStation("驿站-" + Guid.NewGuid().ToString("N")[..6]));
        var stationId = station!["id"]!.GetValue<Guid>();

        var (created, body) = await coordinator.Client.PostAsync("/api/volunteers", new
        {
            name = "孙志愿",
            phone = "139-1234-5678",
            skills = new[] { "Medicine", "Escort" },
            travelMode = "EBike",
            homeStationId = stationId,
            capacity = 2,
        });
        var id = body!["id"]!.GetValue<Guid>();
        var (_, view) = await coordinator.Client.GetAsync($"/api/volunteers/{id}");
        var (_, stationView) = await coordinator.Client.GetAsync($"/api/stations/{stationId}");
        var (_, list) = await coordinator.Client.GetAsync("/api/volunteers");

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("+8613912345678", view!["phone"]!.GetValue<string>());
        Assert.Equal(["Medicine", "Escort"], view["skills"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("EBike", view["travelMode"]!.GetValue<string>());
        Assert.Contains(id, stationView!["roster"]!.AsArray().Select(v => v!.GetValue<Guid>()));
        Assert.Contains(id, list!.AsArray().Select(v => v!["id"]!.GetValue<Guid>()));
    }

    [Fact]
    public async Task Volunteer_MovedToAnotherStation_WhoseRosterWriteFails_IsSettledByTheRetry()
    {
        using var coordinator = await TestUsers.CreateAsync(fixture.Web, "coordinator");
        var (_, first) = await coordinator.Client.PostAsync("/api/stations", NewStation("驿站-" + Guid.NewGuid().ToString("N")[..6]));
        var (_, second) = await coordinator.Client.PostAsync("/api/stations", NewStation("驿站-" + Guid.NewGuid().ToString("N")[..6]));
        var (from, to) = (first!["id"]!.GetValue<Guid>(), second!["id"]!.GetValue<Guid>());
        var profile = new Dictionary<string, object>
        {
            ["name"] = "钱志愿", ["phone"] = "139-1234-5679", ["skills"] = new[] { "Meals" }, ["travelMode"] = "Bike", ["homeStationId"] = from,
        };
        var (_, created) = await coordinator.Client.PostAsync("/api/volunteers", profile);
        var id = created!["id"]!.GetValue<Guid>();
        profile["homeStationId"] = to;

        // The move is stored, then the stations' rosters cannot be written: the caller hears 503.
        HttpStatusCode failed;
        await using (await StorageFaults.FailWritesAsync(fixture.System.ConnectionString, "orleansstorage", "NEW.graintypestring = 'station'"))
            (failed, _) = await coordinator.Client.PutAsync($"/api/volunteers/{id}", profile);
        // The retry sends the same profile: the station is already the new one, yet the rosters it owes are settled.
        var (retried, _) = await coordinator.Client.PutAsync($"/api/volunteers/{id}", profile);
        var (_, left) = await coordinator.Client.GetAsync($"/api/stations/{from}");
        var (_, joined) = await coordinator.Client.GetAsync($"/api/stations/{to}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed);
        Assert.Equal(HttpStatusCode.OK, retried);
        Assert.DoesNotContain(id, left!["roster"]!.AsArray().Select(v => v!.GetValue<Guid>()));
        Assert.Contains(id, joined!["roster"]!.AsArray().Select(v => v!.GetValue<Guid>()));
    }

    [Fact]
    public async Task Volunteer_OffDutyWhoseCellWasNotTold_IsTakenOffTheCellByTheRetry()
    {
        using var volunteer = await TestUsers.CreateAsync(fixture.Web, "volunteer");
        var id = volunteer.VolunteerId!.Value;
        Assert.Equal(HttpStatusCode.OK, (await volunteer.Client.PostAsync("/api/volunteers/me/duty", new DutyRequest(true))).Status);
        Assert.Equal(HttpStatusCode.OK, (await volunteer.Client.PostAsync("/api/volunteers/me/position", new PositionReport(35.671, 115.192, 10))).Status);
        Assert.Equal(1, await CellRowsOfAsync(id));

        // Off duty is stored, then the cell cannot be told (its row cannot be deleted): 503.
        HttpStatusCode failed;
        await using (await StorageFaults.FailDeletesAsync(fixture.System.ConnectionString, "outreach_dispatch_cell_entries", $"OLD.volunteer_id = '{id}'"))
            (failed, _) = await volunteer.Client.PostAsync("/api/volunteers/me/duty", new DutyRequest(false));
        // The retry finds the volunteer off duty already, and still tells the cell.
        var (retried, me) = await volunteer.Client.PostAsync("/api/volunteers/me/duty", new DutyRequest(false));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed);
        Assert.Equal(HttpStatusCode.OK, retried);
        Assert.False(me!["onDuty"]!.GetValue<bool>());
        Assert.Equal(0, await CellRowsOfAsync(id));
    }

    private async Task<long> CellRowsOfAsync(Guid volunteer)
    {
        await using var db = NpgsqlDataSource.Create(fixture.System.ConnectionString);
        await using var count = db.CreateCommand("SELECT count(*) FROM outreach_dispatch_cell_entries WHERE volunteer_id = $1");
        count.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = volunteer });
        return (long)(await count.ExecuteScalarAsync())!;
    }

    public static TheoryData<string, string> BadVolunteers => new()
    {
        { """{"name":"甲","phone":"13912345678","skills":["Knitting"],"travelMode":"Bike"}""", "skills" },
        { """{"name":"甲","phone":"13912345678","skills":["Meals"],"travelMode":"Rocket"}""", "travelMode" },
        { """{"name":"甲","phone":"13912345678","skills":["Meals"],"travelMode":2}""", "travelMode" },
        { """{"name":"甲","phone":"13912345678","skills":[],"travelMode":"Bike"}""", "skills" },
        { """{"name":"甲","phone":"not-a-phone","skills":["Meals"],"travelMode":"Bike"}""", "phone" },
        { """{"name":"","phone":"13912345678","skills":["Meals"],"travelMode":"Bike"}""", "name" },
        { """{"name":"甲","phone":"13912345678","skills":["Meals"],"travelMode":"Bike","capacity":0}""", "capacity" },
        { """{"name":"甲","phone":"13912345678","skills":["Meals"],"travelMode":"Bike","homeStationId":"4b0c1b1e-0000-4000-8000-000000000000"}""", "homeStationId" },
    };

    [Theory]
    [MemberData(nameof(BadVolunteers))]
    public async Task Volunteer_BadInput_Returns400NamingTheField(string json, string field)
    {
        using var coordinator = await TestUsers.CreateAsync(fixture.Web, "coordinator");
        var (_, before) = await coordinator.Client.GetAsync("/api/volunteers");

        var (status, problem) = await coordinator.Client.PostAsync("/api/volunteers", json);
        var (_, after) = await coordinator.Client.GetAsync("/api/volunteers");

        Assert.True(status == HttpStatusCode.BadRequest, $"expected 400, got {(int)status} {problem}");
        Assert.Contains(field, problem!["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(after!.AsArray(), v => v!["name"]!.GetValue<string>() == "甲");
        Assert.True(after.AsArray().Count >= before!.AsArray().Count);
    }

    [Fact]
    public async Task Station_OutOfRangePosition_Returns400()
    {
        using var coordinator = await TestUsers.CreateAsync(fixture.Web, "coordinator");

        var (status, problem) = await coordinator.Client.PostAsync("/api/stations",
            new StationRequest("坏驿站", "无", new PositionDto(35.76, 200.0)));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("lon", problem!["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Volunteer_DutyAndPosition_AreStoredForThemselves()
    {
        using var volunteer = await TestUsers.CreateAsync(fixture.Web, "volunteer");

        var (duty, _) = await volunteer.Client.PostAsync("/api/volunteers/me/duty", new DutyRequest(true));
        var (position, _) = await volunteer.Client.PostAsync("/api/volunteers/me/position", new PositionReport(35.77, 115.04, 12));
        var (status, me) = await volunteer.Client.GetAsync("/api/volunteers/me");
        var (badPosition, problem) = await volunteer.Client.PostAsync("/api/volunteers/me/position", new PositionReport(-91, 115.04, 12));

        Assert.Equal(HttpStatusCode.OK, duty);
        Assert.Equal(HttpStatusCode.OK, position);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(me!["onDuty"]!.GetValue<bool>());
        Assert.Equal(35.77, me["lastPosition"]!["position"]!["lat"]!.GetValue<double>());
        Assert.Equal(HttpStatusCode.BadRequest, badPosition);
        Assert.Contains("lat", problem!["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }
}
