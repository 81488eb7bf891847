using System.Text;
using Npgsql;
using Outreach.Accounts;
using Outreach.Files;
using Outreach.Model;
using Outreach.Stations;
using Outreach.Tests.Infrastructure;
using Outreach.Volunteers;

namespace Outreach.Tests.Persistence;

/// <summary>The project's real grains keep their state in PostgreSQL across a restart of the whole cluster.</summary>
[Collection(PostgresClusterCollection.Name)]
[Category(TestCategory.Grains)]
public sealed class GrainStatePersistenceTests(PostgresClusterFixture fixture)
{
    [Fact]
    public async Task GrainState_AfterClusterRestart_ReadsBackEqual()
    {
        var client = fixture.Client;
        var stationId = Guid.NewGuid();
        var volunteerId = Guid.NewGuid();
        var workerId = Guid.NewGuid();
        var login = "alice-" + Guid.NewGuid().ToString("N");

        Assert.NotNull(await client.GetGrain<IStationGrain>(stationId).CreateAsync(SampleStation()));
        Assert.NotNull(await client.GetGrain<IVolunteerGrain>(volunteerId).CreateAsync(SampleVolunteer(stationId)));
        var volunteer = await client.GetGrain<IVolunteerGrain>(volunteerId).ReportPositionAsync(new GeoPoint(31.2304, 121.4737), 12.5);
        var worker = await client.GetGrain<IFamilyFileGrain>(workerId).CreateAsync(SampleFamilyFile(), ["+8613800000001"], "operator:alice");
        var account = new Account(Guid.NewGuid(), login, "Alice Operator", [Roles.Operator, Roles.Coordinator], "pbkdf2$hash", null);
        Assert.True(await client.GetGrain<IAccountGrain>(AccountKeys.For(login)).CreateAsync(account));
        // The grain gives the account its security stamp: compare with what it stored.
        account = (await client.GetGrain<IAccountGrain>(AccountKeys.For(login)).GetAsync())!;
        var station = await client.GetGrain<IStationGrain>(stationId).GetAsync();
        Assert.Equal([volunteerId], station!.Roster);

        await fixture.RestartAsync();
        client = fixture.Client;

        Assert.Equivalent(station, await client.GetGrain<IStationGrain>(stationId).GetAsync(), strict: true);
        Assert.Equivalent(volunteer, await client.GetGrain<IVolunteerGrain>(volunteerId).GetAsync(), strict: true);
        Assert.Equivalent(worker, await client.GetGrain<IFamilyFileGrain>(workerId).GetAsync(), strict: true);
        Assert.Equivalent(account, await client.GetGrain<IAccountGrain>(AccountKeys.For(login)).GetAsync(), strict: true);
    }

    [Fact]
    public async Task GrainState_IsStoredAsJsonUnderItsStateName()
    {
        var volunteerId = Guid.NewGuid();
        Assert.NotNull(await fixture.Client.GetGrain<IVolunteerGrain>(volunteerId).CreateAsync(SampleVolunteer(homeStationId: null)));

        var rows = await StoredRowsMentioningAsync(fixture, volunteerId);

        // The volunteer's own row, plus its line in a volunteer directory shard.
        Assert.Contains(rows, r => r.StateName == "volunteer");
        var json = rows.Single(r => r.StateName == "volunteer").Json;
        Assert.Contains("\"EBike\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("$id", json, StringComparison.Ordinal);
    }

    /// <summary>The grain storage rows of the fixture's service whose JSON mentions <paramref name="id"/>: state name and JSON.</summary>
    internal static async Task<List<(string StateName, string Json)>> StoredRowsMentioningAsync(PostgresClusterFixture fixture, Guid id)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT graintypestring, payloadbinary FROM orleansstorage WHERE serviceid = @service AND convert_from(payloadbinary, 'UTF8') LIKE @id",
            connection);
        command.Parameters.AddWithValue("service", fixture.ServiceId);
        command.Parameters.AddWithValue("id", $"%{id}%");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string StateName, string Json)>();
        while (await reader.ReadAsync())
            rows.Add((reader.GetString(0), Encoding.UTF8.GetString((byte[])reader[1])));
        return rows;
    }

    private static StationInfo SampleStation() => new(
        "Riverside station", "1 River Road", new GeoPoint(31.2200, 121.4800), 800, "+8613800000000",
        [new KitStock("first-aid kit", 3), new KitStock("blood-pressure meter", 1)]);

    private static VolunteerProfile SampleVolunteer(Guid? homeStationId) => new(
        "Li Wei", "+8613800000002", [HelpCategory.Meals, HelpCategory.Escort], TravelMode.EBike, homeStationId, 3);

    internal static FamilyFileInput SampleFamilyFile() => new(
        "Zhang San", "+8613800000001", "Shenzhen",
        [new FamilyMember("Zhang Xiaoming", "son", null, "in year 3"), new FamilyMember("Wang Fang", "mother", "+8613800000003", null)],
        [new FamilyAddress("home", "12 Lane 3, Qingpu", new GeoPoint(31.1500, 121.1200))],
        "prefers calls after 6 pm");
}
