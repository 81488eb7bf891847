using Npgsql;
using Outreach.Accounts;
using Outreach.Files;
using Outreach.Model;
using Outreach.Stations;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Persistence;

/// <summary>
/// The small grains keep nothing the store refused: a write that throws leaves the grain answering what is stored,
/// and no other grain (directory, phone index) hears of the change. The failure is made on demand by a trigger on
/// <c>orleansstorage</c> of the test database that refuses any state whose JSON holds a marker.
/// </summary>
[Collection(PostgresClusterCollection.Name)]
[Category(TestCategory.Grains)]
public sealed class WriteFailureTests(PostgresClusterFixture fixture) : IAsyncLifetime
{
    private const string TriggerSql = """
        CREATE TABLE IF NOT EXISTS test_refused_writes (marker text PRIMARY KEY);
        CREATE OR REPLACE FUNCTION test_refuse_marked_writes() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.payloadbinary IS NOT NULL AND EXISTS (
                SELECT 1 FROM test_refused_writes r WHERE strpos(convert_from(NEW.payloadbinary, 'UTF8'), r.marker) > 0) THEN
                RAISE EXCEPTION 'test: this write is refused';
            END IF;
            RETURN NEW;
        END $$;
        CREATE OR REPLACE TRIGGER test_refuse_marked_writes BEFORE INSERT OR UPDATE ON orleansstorage
            FOR EACH ROW EXECUTE FUNCTION test_refuse_marked_writes();
        """;

    public async Task InitializeAsync() => await ExecuteAsync(TriggerSql);

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Marker() => "refuse-" + Guid.NewGuid().ToString("N");

    private Task RefuseAsync(string marker) => ExecuteAsync("INSERT INTO test_refused_writes VALUES (@marker)", marker);

    private async Task ExecuteAsync(string sql, string? marker = null)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        if (marker is not null)
            command.Parameters.AddWithValue("marker", marker);
        await command.ExecuteNonQueryAsync();
    }

    private static StationInfo Station(string name) =>
        new(name, "华龙区 胜利路 100号", new GeoPoint(35.765, 115.025), 2000, null, [new KitStock("急救包", 3)]);

    private async Task<StationView[]> ListedStationsAsync() =>
        await fixture.Client.ListDirectoryAsync<StationView>(DirectoryShards.Stations);

    [Fact]
    public async Task Station_CreateWhoseWriteFails_KeepsNothing_IsNotListed_AndCanBeCreatedAgain()
    {
        var marker = Marker();
        await RefuseAsync(marker);
        var station = fixture.Client.GetGrain<IStationGrain>(Guid.NewGuid());

        await Assert.ThrowsAnyAsync<Exception>(() => station.CreateAsync(Station(marker)));
        var afterFailure = await station.GetAsync();
        var listed = await ListedStationsAsync();
        var retried = await station.CreateAsync(Station("好的驿站"));

        Assert.Null(afterFailure);
        Assert.DoesNotContain(listed, s => s.Id == station.GetPrimaryKey());
        Assert.Equal("好的驿站", retried?.Info.Name);
    }

    [Fact]
    public async Task Station_UpdateOrRosterWhoseWriteFails_KeepsTheStoredStation_AndTheDirectoryToo()
    {
        var marker = Marker();
        await RefuseAsync(marker);
        var station = fixture.Client.GetGrain<IStationGrain>(Guid.NewGuid());
        var stored = await station.CreateAsync(Station("原来的驿站"));
        var refusedVolunteer = Guid.Parse(marker["refuse-".Length..]);

        await Assert.ThrowsAnyAsync<Exception>(() => station.UpdateAsync(Station(marker)));
        var afterUpdate = await station.GetAsync();
        await RefuseAsync(refusedVolunteer.ToString());
        await Assert.ThrowsAnyAsync<Exception>(() => station.AddToRosterAsync(refusedVolunteer));
        var afterRoster = await station.GetAsync();
        var listed = (await ListedStationsAsync()).Single(s => s.Id == station.GetPrimaryKey());

        Assert.Equal("原来的驿站", afterUpdate!.Info.Name);
        Assert.Equal(stored!.UpdatedAt, afterUpdate.UpdatedAt);
        Assert.Empty(afterRoster!.Roster);
        Assert.Equal("原来的驿站", listed.Info.Name);
    }

    [Fact]
    public async Task FamilyFile_CreateWhoseWriteFails_KeepsNothing_AndTheIndexesNeverHearOfIt()
    {
        var marker = Marker();
        await RefuseAsync(marker);
        var id = Guid.NewGuid();
        var phone = "+86139" + Random.Shared.Next(10_000_000, 99_999_999);
        var input = new FamilyFileInput(marker, phone, null, [], [], null);

        await Assert.ThrowsAnyAsync<Exception>(() => fixture.Client.GetGrain<IFamilyFileGrain>(id).CreateAsync(input, [phone], "test"));

        Assert.Null(await fixture.Client.GetGrain<IFamilyFileGrain>(id).GetAsync());
        Assert.Empty(await fixture.Client.GetGrain<IPhoneIndexGrain>(TestSecrets.PhoneKeys.For(phone)).GetAsync());
        Assert.DoesNotContain(await fixture.Client.ListDirectoryAsync<FamilyFileSummary>(DirectoryShards.FamilyFiles), w => w.Id == id);
    }

    [Fact]
    public async Task Account_CreateWhoseWriteFails_KeepsNothing_AndTheLoginIsStillFree()
    {
        var marker = Marker();
        await RefuseAsync(marker);
        var login = "writefail-" + Guid.NewGuid().ToString("N")[..8];
        var grain = fixture.Client.GetGrain<IAccountGrain>(AccountKeys.For(login));
        var account = new Account(Guid.NewGuid(), login, marker, [Roles.Operator], "hash", null);

        await Assert.ThrowsAnyAsync<Exception>(() => grain.CreateAsync(account));
        var afterFailure = await grain.GetAsync();
        var created = await grain.CreateAsync(account with { Name = "好的" });

        Assert.Null(afterFailure);
        Assert.True(created);
    }

    [Fact]
    public async Task PhoneIndex_AddWhoseWriteFails_DoesNotListTheFile()
    {
        var workerId = Guid.NewGuid();
        await RefuseAsync(workerId.ToString());
        var index = fixture.Client.GetGrain<IPhoneIndexGrain>(TestSecrets.PhoneKeys.For("+86139" + Random.Shared.Next(10_000_000, 99_999_999)));
        var other = Guid.NewGuid();
        await index.AddAsync(other);

        await Assert.ThrowsAnyAsync<Exception>(() => index.AddAsync(workerId));

        Assert.Equal([other], await index.GetAsync());
    }
}
