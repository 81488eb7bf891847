using Outreach.Grains.Storage;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary>Coalesced row writes isolate a row the store refuses instead of failing every later batch.</summary>
[Category(TestCategory.Unit)]
public sealed class ChangedRowsTests
{
    private sealed record Entry(Guid Key, string Text);

    /// <summary>A store that refuses any batch holding a value with a NUL, as PostgreSQL's jsonb does; the first batch waits for a gate.</summary>
    private sealed class FakeStore
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _first = true;

        public Dictionary<Guid, Entry> Entries { get; } = [];

        public Dictionary<Guid, string> Stored { get; } = [];

        public List<Guid[]> Attempts { get; } = [];

        public Exception? Outage { get; set; }

        public void Open() => _gate.TrySetResult();

        public async Task SaveAsync(IReadOnlyCollection<Entry> upserts, IReadOnlyCollection<Guid> removals)
        {
            if (_first)
            {
                _first = false;
                await _gate.Task;
            }
            await Task.Yield();
            Attempts.Add([.. upserts.Select(u => u.Key), .. removals]);
            if (Outage is { } outage)
                throw outage;
            if (upserts.Any(u => u.Text.Contains('\0', StringComparison.Ordinal)))
                throw new InvalidOperationException("unsupported Unicode escape sequence");
            foreach (var upsert in upserts)
                Stored[upsert.Key] = upsert.Text;
            foreach (var removal in removals)
                Stored.Remove(removal);
        }
    }

    private static (FakeStore Store, ChangedRows<Entry> Rows, Func<string, Guid> Put) Setup()
    {
        var store = new FakeStore();
        var rows = new ChangedRows<Entry>(store.Entries, store.SaveAsync);
        Guid Put(string value)
        {
            var key = Guid.NewGuid();
            store.Entries[key] = new Entry(key, value);
            return key;
        }
        return (store, rows, Put);
    }

    [Fact]
    public async Task SaveAsync_OneRowRefusedInABatch_FailsOnlyItsCallers_AndTheOthersAreStored()
    {
        var (store, rows, put) = Setup();
        var first = rows.SaveAsync(put("甲"));  // in flight, waiting at the gate
        var keys = new[] { put("乙"), put("丙"), put("毒\0"), put("丁"), put("戊") };
        var saves = keys.Select(rows.SaveAsync).ToArray();

        store.Open();
        await first;
        var poisoned = await Assert.ThrowsAsync<InvalidOperationException>(() => saves[2]);
        await Task.WhenAll(saves.Where((_, i) => i != 2));

        Assert.Contains("Unicode", poisoned.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { "甲", "乙", "丙", "丁", "戊" }.Order(StringComparer.Ordinal), store.Stored.Values.Order(StringComparer.Ordinal));
        Assert.True(rows.IsUnsaved(keys[2]));
        Assert.False(rows.IsUnsaved(keys[0]));
    }

    [Fact]
    public async Task SaveAsync_AfterARefusedRow_LaterBatchesDoNotCarryIt_UntilItIsSavedAgain()
    {
        var (store, rows, put) = Setup();
        var first = rows.SaveAsync(put("甲"));
        var bad = put("毒\0");
        var refused = rows.SaveAsync(bad);
        store.Open();
        await first;
        await Assert.ThrowsAsync<InvalidOperationException>(() => refused);
        store.Attempts.Clear();

        var later = put("乙");
        await rows.SaveAsync(later);
        Assert.Equal([[later]], store.Attempts);

        store.Entries[bad] = new Entry(bad, "好了");
        await rows.SaveAsync(bad);
        Assert.Equal("好了", store.Stored[bad]);
        Assert.False(rows.IsUnsaved(bad));
    }

    [Fact]
    public async Task SaveAsync_StoreUnreachable_FailsTheWholeBatchOnce_WithoutSplittingIt()
    {
        var (store, rows, put) = Setup();
        store.Outage = new TimeoutException("the database did not answer");
        var first = rows.SaveAsync(put("甲"));
        var saves = new[] { put("乙"), put("丙"), put("丁") }.Select(rows.SaveAsync).ToArray();

        store.Open();
        await Assert.ThrowsAsync<TimeoutException>(() => first);
        foreach (var save in saves)
            await Assert.ThrowsAsync<TimeoutException>(() => save);

        Assert.Equal(2, store.Attempts.Count); // the first batch and the one of the three: no halving
        store.Outage = null;
        var after = put("戊");
        await rows.SaveAsync(after);
        Assert.Equal("戊", store.Stored[after]);
    }

    [Fact]
    public async Task SaveAsync_TheSameKeyTwiceWhileAWriteIsInFlight_BothCallersWaitForTheNextBatch()
    {
        var (store, rows, put) = Setup();
        var key = put("甲");
        var first = rows.SaveAsync(key);
        store.Entries[key] = new Entry(key, "甲2");
        var second = rows.SaveAsync(key);
        var third = rows.SaveAsync(key);

        Assert.Same(second, third);
        store.Open();
        await Task.WhenAll(first, second);

        Assert.Equal("甲2", store.Stored[key]);
        Assert.Equal(2, store.Attempts.Count);
    }
}
