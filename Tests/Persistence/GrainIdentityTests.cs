using Outreach.Files;
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
        Assert.NotNull(await fixture.Client.GetGrain<IFamilyFileGrain>(id)
            .CreateAsync(GrainStatePersistenceTests.SampleFamilyFile(), ["+8613800000001"], "operator:alice"));

        var rows = await GrainStatePersistenceTests.StoredRowsMentioningAsync(fixture, id);

        Assert.Contains(rows, r => r.StateName == "worker");
    }
}
