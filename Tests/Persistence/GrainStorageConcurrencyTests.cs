using Orleans.Storage;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Persistence;

/// <summary>The storage provider's optimistic concurrency, exercised straight through <see cref="IGrainStorage"/>.</summary>
[Collection(PostgresClusterCollection.Name)]
[Category(TestCategory.Grains)]
public sealed class GrainStorageConcurrencyTests(PostgresClusterFixture fixture)
{
    private const string StateName = "storage-probe";

    private static readonly GrainType _probeType = GrainType.Create("storageprobe");

    [Fact]
    public async Task Storage_TwoWritesFromTheSameVersion_LoserGetsInconsistentState()
    {
        var storage = fixture.Storage;
        var grainId = NewGrainId();
        await storage.WriteStateAsync(StateName, grainId, new GrainState<StorageProbeState>(new() { Writer = "setup" }));
        var a = await ReadAsync(storage, grainId);
        var b = await ReadAsync(storage, grainId);
        Assert.Equal(a.ETag, b.ETag);
        a.State!.Writer = "a";
        b.State!.Writer = "b";

        var outcomes = await Task.WhenAll(TryWriteAsync(storage, grainId, a), TryWriteAsync(storage, grainId, b));

        Assert.Single(outcomes, o => o is null);
        Assert.IsType<InconsistentStateException>(Assert.Single(outcomes, o => o is not null));
        var winner = outcomes[0] is null ? "a" : "b";
        Assert.Equal(winner, (await ReadAsync(storage, grainId)).State!.Writer);
    }

    [Fact]
    public async Task Storage_WriteWithAStaleETag_ThrowsInconsistentState()
    {
        var storage = fixture.Storage;
        var grainId = NewGrainId();
        await storage.WriteStateAsync(StateName, grainId, new GrainState<StorageProbeState>(new() { Value = 1 }));
        var stale = await ReadAsync(storage, grainId);
        var fresh = await ReadAsync(storage, grainId);
        fresh.State!.Value = 2;
        await storage.WriteStateAsync(StateName, grainId, fresh);

        stale.State!.Value = 3;
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grainId, stale));
        Assert.Equal(2, (await ReadAsync(storage, grainId)).State!.Value);
    }

    [Fact]
    public async Task Storage_TwentyConcurrentFirstWrites_ExactlyOneWins()
    {
        var storage = fixture.Storage;
        var grainId = NewGrainId();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            TryWriteAsync(storage, grainId, new GrainState<StorageProbeState>(new() { Writer = $"w{i}", Value = i }))));

        var winner = Assert.Single(Enumerable.Range(0, 20), i => outcomes[i] is null);
        Assert.All(outcomes.Where(o => o is not null), o => Assert.IsType<InconsistentStateException>(o));
        var stored = await ReadAsync(storage, grainId);
        Assert.True(stored.RecordExists);
        Assert.Equal($"w{winner}", stored.State!.Writer);
    }

    [Fact]
    public async Task Storage_ClearThenWrite_KeepsWorkingWithTheNewETag()
    {
        var storage = fixture.Storage;
        var grainId = NewGrainId();
        var state = new GrainState<StorageProbeState>(new() { Value = 7 });
        await storage.WriteStateAsync(StateName, grainId, state);

        await storage.ClearStateAsync(StateName, grainId, state);
        var cleared = await ReadAsync(storage, grainId);
        Assert.False(cleared.RecordExists);
        Assert.Equal(0, cleared.State!.Value);

        cleared.State!.Value = 8;
        await storage.WriteStateAsync(StateName, grainId, cleared);
        Assert.Equal(8, (await ReadAsync(storage, grainId)).State!.Value);
    }

    private static GrainId NewGrainId() => GrainId.Create(_probeType, GrainIdKeyExtensions.CreateGuidKey(Guid.NewGuid()));

    private static async Task<GrainState<StorageProbeState>> ReadAsync(IGrainStorage storage, GrainId grainId)
    {
        var state = new GrainState<StorageProbeState>(new());
        await storage.ReadStateAsync(StateName, grainId, state);
        return state;
    }

    private static async Task<Exception?> TryWriteAsync(IGrainStorage storage, GrainId grainId, GrainState<StorageProbeState> state)
    {
        try
        {
            await storage.WriteStateAsync(StateName, grainId, state);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
