using Npgsql;
using Outreach.Files;
using Outreach.Grains.Files;
using Outreach.Model;
using Outreach.Tests.Infrastructure;
using Outreach.Volunteers;

namespace Outreach.Tests.Persistence;

/// <summary>Directory shards keep one row per entry, and take over the one-blob state older versions wrote.</summary>
[Collection(PostgresClusterCollection.Name)]
[Category(TestCategory.Grains)]
public sealed class DirectoryRowsTests(PostgresClusterFixture fixture)
{
    private static VolunteerSummary Summary(string name) =>
        new(Guid.NewGuid(), name, [HelpCategory.Meals], TravelMode.Bike, null, Active: true, OnDuty: false);

    [Fact]
    public async Task Shard_WrittenAsOneBlobByAnOlderVersion_MovesIntoRows_OnItsFirstActivation()
    {
        var key = "volunteers/legacy-" + Guid.NewGuid().ToString("N")[..8];
        var shard = fixture.Client.GetGrain<IDirectoryGrain<VolunteerSummary>>(key);
        var (a, b) = (Summary("老甲"), Summary("老乙"));
        var blob = new DirectoryState<VolunteerSummary> { Entries = { [a.Id] = a, [b.Id] = b } };
        await fixture.Storage.WriteStateAsync("directory", shard.GetGrainId(), new GrainState<DirectoryState<VolunteerSummary>>(blob));

        var listed = await shard.ListAsync();
        var added = Summary("新丙");
        await shard.UpsertAsync(added);

        Assert.Equal(new[] { a.Id, b.Id }.Order(), listed.Select(e => e.Id).Order());
        Assert.Equal(new[] { a.Id, b.Id, added.Id }.Order(), await RowIdsAsync(key));
        var after = new GrainState<DirectoryState<VolunteerSummary>>();
        await fixture.Storage.ReadStateAsync("directory", shard.GetGrainId(), after);
        Assert.Empty(after.State?.Entries ?? []);
    }

    [Fact]
    public async Task Shard_ChangesOneEntry_WritesItsRowOnly_AndRemovalDeletesIt()
    {
        var key = "volunteers/rows-" + Guid.NewGuid().ToString("N")[..8];
        var shard = fixture.Client.GetGrain<IDirectoryGrain<VolunteerSummary>>(key);
        var (a, b) = (Summary("甲"), Summary("乙"));
        await Task.WhenAll(shard.UpsertAsync(a), shard.UpsertAsync(b));
        var before = await WrittenAtAsync(key);

        await shard.UpsertAsync(a with { OnDuty = true });
        await shard.RemoveAsync(b.Id);

        var after = await WrittenAtAsync(key);
        Assert.Equal([a.Id], after.Keys);
        Assert.True(after[a.Id] > before[a.Id]);
        Assert.Contains(await shard.ListAsync(), e => e.Id == a.Id && e.OnDuty);
    }

    [Fact]
    public async Task Shard_OneEntryWithANulInABatch_FailsAlone_TheOthersAndLaterOnesAreStored_AndTheListIsWhatIsStored()
    {
        var key = "volunteers/nul-" + Guid.NewGuid().ToString("N")[..8];
        var shard = fixture.Client.GetGrain<IDirectoryGrain<VolunteerSummary>>(key);
        var (a, poisoned, b) = (Summary("甲"), Summary("毒\0"), Summary("乙"));

        var saves = new[] { a, poisoned, b }.Select(e => shard.UpsertAsync(e)).ToArray();
        var refused = await Assert.ThrowsAsync<PostgresException>(() => saves[1]);
        await Task.WhenAll(saves[0], saves[2]);
        var later = Summary("丙");
        await shard.UpsertAsync(later);
        var listed = await shard.ListAsync();

        Assert.Equal("22P05", refused.SqlState); // jsonb: unsupported Unicode escape sequence
        Assert.Equal(new[] { a.Id, b.Id, later.Id }.Order(), await RowIdsAsync(key));
        Assert.Equal(new[] { a.Id, b.Id, later.Id }.Order(), listed.Select(e => e.Id).Order());
    }

    private async Task<IEnumerable<Guid>> RowIdsAsync(string shard) => (await WrittenAtAsync(shard)).Keys.Order();

    private async Task<Dictionary<Guid, DateTime>> WrittenAtAsync(string shard)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, written_at FROM outreach_directory_entries WHERE shard = @shard", connection);
        command.Parameters.AddWithValue("shard", shard);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<Guid, DateTime>();
        while (await reader.ReadAsync())
            rows[reader.GetGuid(0)] = reader.GetDateTime(1);
        return rows;
    }
}
