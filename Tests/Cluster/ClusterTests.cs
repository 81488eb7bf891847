using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Outreach.Contracts;
using Outreach.Demo;
using Outreach.Tests.Infrastructure;
using Outreach.Volunteers;

namespace Outreach.Tests.Cluster;

/// <summary>Real silo and web processes on one database: membership, failover and restarts.</summary>
[Category(TestCategory.System)]
public sealed class ClusterTests
{
    [Fact]
    public async Task TwoSilos_OnOneDatabase_FormOneClusterAndTheWebSurvivesEitherDying()
    {
        await using var system = await OutreachSystem.StartAsync("cluster");
        await system.StartSiloAsync();
        await ClusterWaits.ActiveSilosAsync(system, 2);

        // Files written while both silos are up land on either of them; each must stay reachable
        // through the surviving silo after the other one dies.
        using var coordinator = await TestUsers.CreateAsync(system.Web, "coordinator");
        var ids = new List<Guid>();
        for (var i = 0; i < 12; i++)
            ids.Add(await CreateStationAsync(coordinator.Client, $"驿站{i}"));

        await system.Silos[0].Process.KillAsync();

        foreach (var id in ids)
        {
            var (status, body) = await ClusterWaits.UntilOkAsync(() => coordinator.Client.GetAsync($"/api/stations/{id}"));
            Assert.True(status == HttpStatusCode.OK, $"station {id} after silo 1 died: {(int)status} {body}");
        }
    }

    [Fact]
    public async Task Silo_KilledAndRestarted_FindsEveryGrainsStateWhereItWas()
    {
        await using var system = await OutreachSystem.StartAsync("restart");
        using var coordinator = await TestUsers.CreateAsync(system.Web, "coordinator");
        var station = await CreateStationAsync(coordinator.Client, "重启驿站");
        var (_, volunteer) = await coordinator.Client.PostAsync("/api/volunteers", new
        {
            name = "重启志愿者", phone = "13911112222", skills = new[] { "Meals" }, travelMode = "Walk", homeStationId = station,
        });
        var volunteerId = volunteer!["id"]!.GetValue<Guid>();
        var (_, before) = await coordinator.Client.GetAsync($"/api/volunteers/{volunteerId}");

        await system.Silos[0].Process.KillAsync();
        await system.RestartSiloAsync(system.Silos[0]);

        var (status, after) = await ClusterWaits.UntilOkAsync(() => coordinator.Client.GetAsync($"/api/volunteers/{volunteerId}"));
        var (_, stationAfter) = await coordinator.Client.GetAsync($"/api/stations/{station}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(before!.ToJsonString(), after!.ToJsonString());
        Assert.Contains(volunteerId, stationAfter!["roster"]!.AsArray().Select(v => v!.GetValue<Guid>()));
    }

    [Fact]
    public async Task Seeding_Twice_LeavesTheSameData()
    {
        await using var system = await OutreachSystem.StartAsync("seed", seedDemo: true);
        var first = await SnapshotAsync(system.Web);

        // A second web node seeds again on start-up, against the same cluster and database.
        var second = await system.StartWebAsync(seedDemo: true);
        var again = await SnapshotAsync(second);

        Assert.True(first.Stations >= 4 && first.Volunteers >= 60 && first.Families >= 40,
            $"demo region too small: {first}");
        Assert.Equal(first, again);
        using var demoOperator = await system.Web.LoginAsync("operator", "outreach-demo");
        var (status, _) = await demoOperator.PostAsync("/api/workers/lookup", new PhoneLookupRequest("13803930001"));
        Assert.Equal(HttpStatusCode.OK, status);
        using var demoCoordinator = await system.Web.LoginAsync("coordinator", "outreach-demo");
        var (_, figures) = await demoCoordinator.GetAsync("/api/stats/dispatch");
        var onDuty = figures!["onDutyByStation"]!.AsArray();
        Assert.Equal(first.Stations, onDuty.Count(s => s!["stationId"] is not null));
        Assert.Equal(first.Volunteers, onDuty.Sum(s => s!["onDuty"]!.GetValue<int>()));
        // Phones stored as the API stores them (E.164): an SMS reply from the demo volunteer's number matches its code.
        var (_, demoVolunteer) = await demoCoordinator.GetAsync($"/api/volunteers/{Outreach.Demo.DemoData.NameGuid("volunteer/1")}");
        Assert.Equal("+8613903930001", demoVolunteer!["phone"]!.GetValue<string>());
    }

    [Fact]
    public async Task DemoVolunteers_OnDuty_ReportTheirHomeAgain_SoADemoLeftRunningStillHasSomeoneToOffer()
    {
        await using var system = await OutreachSystem.StartAsync("demofresh", seedDemo: true,
            webSettings: new Dictionary<string, string> { ["Outreach__Demo__RefreshPositionsEvery"] = "00:00:02" });
        using var coordinator = await system.Web.LoginAsync("coordinator", "outreach-demo");
        var driven = DemoData.Accounts.Select(a => a.VolunteerId).OfType<Guid>().ToHashSet();
        var (onDuty, offDuty) = (DemoData.Volunteers.First(v => !driven.Contains(v.Id)).Id, DemoData.Volunteers.Last(v => !driven.Contains(v.Id)).Id);
        using var demoVolunteer = await system.Web.LoginAsync(DemoData.Accounts.First(a => a.VolunteerId is not null).Login, "outreach-demo");
        var (_, me) = await demoVolunteer.GetAsync("/api/volunteers/me");
        var drivenAt = me!["lastPosition"]!["at"]!.GetValue<DateTimeOffset>();
        using var host = await system.StartClientHostAsync();
        await host.Services.GetRequiredService<IGrainFactory>().GetGrain<IVolunteerGrain>(offDuty).SetDutyAsync(false);
        var first = await PositionAtAsync(coordinator, onDuty);
        var offAt = await PositionAtAsync(coordinator, offDuty);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        DateTimeOffset later;
        while ((later = await PositionAtAsync(coordinator, onDuty)) <= first && DateTime.UtcNow < deadline)
            await Task.Delay(500);

        Assert.True(later > first, $"an on-duty demo volunteer's position stayed at {first:O}");
        Assert.Equal(offAt, await PositionAtAsync(coordinator, offDuty));
        var (_, meAfter) = await demoVolunteer.GetAsync("/api/volunteers/me");
        Assert.Equal(drivenAt, meAfter!["lastPosition"]!["at"]!.GetValue<DateTimeOffset>());
    }

    [Theory]
    [InlineData("silo")]
    [InlineData("web")]
    public async Task MissingDatabase_AtStartUp_SaysSoInOneLineAndKeepsRetrying(string which)
    {
        var environment = new Dictionary<string, string>(which == "web" ? OutreachSystem.WebDefaults : new Dictionary<string, string>())
        {
            ["ConnectionStrings__Outreach"] = $"Host=127.0.0.1;Port={FreePorts.Next()};Username=outreach;Password=x;Database=outreach;Timeout=2",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePorts.Next()}",
            ["Outreach__PhoneKey"] = TestSecrets.PhoneKey,
        };
        await using var process = ChildProcess.Start(which, which == "silo" ? RepoPaths.SiloDll : RepoPaths.WebDll, environment);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (process.Tail(200).Split('\n').Count(l => l.Contains("not reachable", StringComparison.Ordinal)) < 2 && DateTime.UtcNow < deadline)
            await Task.Delay(200);

        var output = process.Tail(200);
        Assert.False(process.HasExited, $"{which} exited instead of retrying:\n{output}");
        Assert.Contains("Database not reachable", output, StringComparison.Ordinal);
        Assert.True(output.Split('\n').Count(l => l.Contains("not reachable", StringComparison.Ordinal)) >= 2, $"no retry seen:\n{output}");
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    private static async Task<DateTimeOffset> PositionAtAsync(ApiClient coordinator, Guid volunteerId)
    {
        var (status, volunteer) = await coordinator.GetAsync($"/api/volunteers/{volunteerId}");
        Assert.True(status == HttpStatusCode.OK, $"GET volunteer {volunteerId}: {(int)status} {volunteer}");
        return volunteer!["lastPosition"]!["at"]!.GetValue<DateTimeOffset>();
    }

    private static async Task<DemoSnapshot> SnapshotAsync(WebNode web)
    {
        using var coordinator = await web.LoginAsync("coordinator", "outreach-demo");
        var (_, stations) = await coordinator.GetAsync("/api/stations");
        var (_, volunteers) = await coordinator.GetAsync("/api/volunteers");
        var (_, families) = await coordinator.GetAsync("/api/workers?pageSize=200");
        var (_, family) = await coordinator.PostAsync("/api/workers/lookup", new PhoneLookupRequest("13803930001"));
        return new DemoSnapshot(
            stations!.AsArray().Count, volunteers!.AsArray().Count, families!["total"]!.GetValue<int>(),
            stations.ToJsonString() + volunteers.ToJsonString() + families.ToJsonString() + family!.ToJsonString());
    }

    private sealed record DemoSnapshot(int Stations, int Volunteers, int Families, string Json)
    {
        public override string ToString() => $"{Stations} stations, {Volunteers} volunteers, {Families} families";
    }

    private static async Task<Guid> CreateStationAsync(ApiClient client, string name)
    {
        var (status, body) = await client.PostAsync("/api/stations",
            new StationRequest(name, "华龙区 测试路 1号", new PositionDto(35.76, 115.03)));
        Assert.True(status == HttpStatusCode.Created, $"creating station: {(int)status} {body}");
        return body!["id"]!.GetValue<Guid>();
    }
}
