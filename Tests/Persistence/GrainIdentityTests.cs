using Npgsql;
using Outreach.Files;
using Outreach.Model;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Persistence;

/// <summary>
/// The family file keeps the identities it was stored and called under before its classes were renamed
/// (<c>WorkerGrain</c> → <c>FamilyFileGrain</c>): its grain type, its state name and its directory's keys.
/// A change to any of them would orphan every stored file or directory line.
/// </summary>
[Collection(PostgresClusterCollection.Name)]
[Category(TestCategory.Grains)]
public sealed class GrainIdentityTests(PostgresClusterFixture fixture)
{
    [Fact]
    public void FamilyFile_KeepsTheGrainTypesItWasStoredUnder()
    {
        var id = Guid.NewGuid();

        Assert.Equal("worker", fixture.Client.GetGrain<IFamilyFileGrain>(id).GetGrainId().Type.ToString());
        var shard = DirectoryShards.FamilyFiles.KeyFor(id);
        Assert.StartsWith("workers/", shard, StringComparison.Ordinal);
        Assert.Equal("directory`1[[Outreach.WorkerSummary]]",
            fixture.Client.GetGrain<IDirectoryGrain<FamilyFileSummary>>(shard).GetGrainId().Type.ToString());
    }

    [Fact]
    public async Task FamilyFile_IsStoredUnderTheStateNameWorker()
    {
        var id = Guid.NewGuid();
        var input = new FamilyFileInput("Zhang San", "+8613800000001", "Shenzhen", [],
            [new FamilyAddress("home", "12 Lane 3, Qingpu", new GeoPoint(31.1500, 121.1200))], null);
        Assert.NotNull(await fixture.Client.GetGrain<IFamilyFileGrain>(id).CreateAsync(input, ["+8613800000001"], "operator:alice"));

        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT graintypestring FROM orleansstorage WHERE serviceid = @service AND convert_from(payloadbinary, 'UTF8') LIKE @id",
            connection);
        command.Parameters.AddWithValue("service", fixture.ServiceId);
        command.Parameters.AddWithValue("id", $"%{id}%");
        var names = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                names.Add(reader.GetString(0));

        Assert.Contains("worker", names);
    }
}
