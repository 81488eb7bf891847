using Outreach.Dispatch;
using Outreach.Grains.Dispatch;
using Outreach.Model;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Dispatch;

/// <summary>The dispatch index's rows against a real PostgreSQL: one row per volunteer, changed rows only.</summary>
[Category(TestCategory.Database)]
public sealed class CellStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset _t0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private LedgerDatabase? _database;

    private CellStore Store => new((_database ?? throw new InvalidOperationException("Not initialised.")).DataSource);

    public async Task InitializeAsync() => _database = await LedgerDatabase.CreateAsync("cells");

    public async Task DisposeAsync()
    {
        if (_database is not null)
            await _database.DisposeAsync();
    }

    private static CellEntry Entry(string name, double lat, int load = 0) =>
        new(Guid.NewGuid(), name, new GeoPoint(lat, 115.03), _t0, [HelpCategory.Medicine, HelpCategory.Escort],
            TravelMode.EBike, Capacity: 2, load);

    [Fact]
    public async Task Save_ThenLoad_GivesBackEveryFieldOfEachEntry_PerCell()
    {
        var a = Entry("张三", 35.761);
        var b = Entry("李四", 35.762, load: 1);
        var elsewhere = Entry("王五", 35.9);

        await Store.SaveAsync("geo/2515/5900", [a, b], []);
        await Store.SaveAsync("geo/2517/5900", [elsewhere], []);

        var loaded = (await Store.LoadAsync("geo/2515/5900")).OrderBy(e => e.Name, StringComparer.Ordinal).ToArray();
        Assert.Equal(2, loaded.Length);
        var pairs = new[] { a, b }.OrderBy(e => e.Name, StringComparer.Ordinal).Zip(loaded);
        foreach (var (written, read) in pairs)
        {
            Assert.Equal(written.VolunteerId, read.VolunteerId);
            Assert.Equal(written.Name, read.Name);
            Assert.Equal(written.Position, read.Position);
            Assert.Equal(written.PositionAt, read.PositionAt);
            Assert.Equal(written.Skills, read.Skills);
            Assert.Equal(written.TravelMode, read.TravelMode);
            Assert.Equal(written.Capacity, read.Capacity);
            Assert.Equal(written.Load, read.Load);
        }
        Assert.Equal(elsewhere.VolunteerId, Assert.Single(await Store.LoadAsync("geo/2517/5900")).VolunteerId);
        Assert.Empty(await Store.LoadAsync("geo/1/1"));
    }

    [Fact]
    public async Task Save_ThenLoad_GivesBackTheRecentService_ForFatigueAwareRanking()
    {
        ServiceCredit[] served = [new(_t0.AddDays(-3), 42.5), new(_t0.AddHours(-1), 15)];
        var tired = Entry("劳累", 35.761) with { RecentService = served };
        var fresh = Entry("轻松", 35.762);

        await Store.SaveAsync("geo/2515/5901", [tired, fresh], []);

        var loaded = (await Store.LoadAsync("geo/2515/5901")).ToDictionary(e => e.VolunteerId);
        Assert.Equal(served, loaded[tired.VolunteerId].RecentService);
        Assert.Null(loaded[fresh.VolunteerId].RecentService);
    }

    [Fact]
    public async Task Save_ReplacesChangedRows_AndDeletesRemovedOnes_LeavingTheRestAlone()
    {
        const string cell = "geo/2515/5900";
        var staying = Entry("留下", 35.761);
        var leaving = Entry("离开", 35.762);
        var busy = Entry("忙碌", 35.763);
        await Store.SaveAsync(cell, [staying, leaving, busy], []);

        await Store.SaveAsync(cell, [busy with { Load = 2 }], [leaving.VolunteerId, Guid.NewGuid()]);

        var loaded = (await Store.LoadAsync(cell)).ToDictionary(e => e.VolunteerId);
        Assert.Equal(new[] { busy.VolunteerId, staying.VolunteerId }.Order(), loaded.Keys.Order());
        Assert.Equal(2, loaded[busy.VolunteerId].Load);
        Assert.Equal((staying.Name, staying.Position, staying.Load), (loaded[staying.VolunteerId].Name, loaded[staying.VolunteerId].Position, loaded[staying.VolunteerId].Load));
    }

    [Fact]
    public async Task Save_WithAFailingStatement_WritesNothingOfTheBatch()
    {
        const string cell = "geo/2515/5900";
        var kept = Entry("原样", 35.761);
        await Store.SaveAsync(cell, [kept], []);

        // The second upsert breaks a NOT NULL column: the removal and the first upsert of the same batch are undone.
        var broken = Entry("坏", 35.762) with { Name = null! };
        await Assert.ThrowsAnyAsync<Exception>(() => Store.SaveAsync(cell, [Entry("新", 35.763), broken], [kept.VolunteerId]));

        Assert.Equal(kept.VolunteerId, Assert.Single(await Store.LoadAsync(cell)).VolunteerId);
    }
}
