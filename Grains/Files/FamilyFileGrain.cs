using Outreach.Files;
using Outreach.Grains.Storage;
using Outreach.Model;

namespace Outreach.Grains.Files;

/// <summary>Persisted state of a family service file.</summary>
[GenerateSerializer, Alias("Outreach.WorkerState")]
public sealed class FamilyFileState
{
    [Id(0)] public FamilyFile? File { get; set; }
}

/// <summary>
/// A worker's family service file. The file itself is the source of truth; the phone index and the
/// directory are kept in step after each write (and are re-written on every later save, so a failed
/// index update heals itself; lookups re-check the file, so a stale index entry is never shown). The file is
/// written before it is kept in memory, answered or told to the indexes (<see cref="StateCommit"/>).
/// The trail of changes is the audit table, which the web writes from the change each save returns; the file
/// keeps only its few latest changes (<see cref="RecentChanges"/>) so the web can read the one it just made.
/// Phone index entries are keyed by a keyed hash of the number (<see cref="PhoneIndexKeys"/>).
/// The grain type stays <c>worker</c>, what Orleans derived from the class's earlier name (<c>WorkerGrain</c>), so the
/// files' identities do not change with the class name.
/// </summary>
[GrainType("worker")]
public sealed class FamilyFileGrain(
    [PersistentState("worker", SiloSetup.StorageName)] IPersistentState<FamilyFileState> state,
    TimeProvider clock,
    PhoneIndexKeys phoneKeys)
    : Grain, IFamilyFileGrain
{
    /// <summary>How many of its latest changes a file keeps (the whole trail is in the audit table).</summary>
    internal const int RecentChanges = 10;

    public Task<FamilyFile?> GetAsync() => Task.FromResult(state.State.File);

    public async Task<FamilyFile?> CreateAsync(FamilyFileInput input, string[] normalizedPhones, string actor)
    {
        if (state.State.File is { } existing)
        {
            // A create retried under the same idempotency key: the first may have stopped before the indexes.
            await SyncIndexesAsync([], existing);
            return null;
        }
        var now = clock.GetUtcNow();
        var file = new FamilyFile(this.GetPrimaryKey(), input, normalizedPhones.Distinct().ToArray(), now, now,
            [new Change(now, actor, "created")]);
        await state.CommitAsync(new FamilyFileState { File = file }, this);
        await SyncIndexesAsync([], file);
        return file;
    }

    public async Task<FamilyFile?> UpdateAsync(FamilyFileInput input, string[] normalizedPhones, string actor)
    {
        if (state.State.File is not { } previous)
            return null;
        // A body without the pairing (a client that does not know it) keeps it as it was.
        if (input.PairedVolunteerIds is null)
            input = input with { PairedVolunteerIds = previous.Data.PairedVolunteerIds };
        var now = clock.GetUtcNow();
        var what = string.Join(", ", Describe(previous.Data, input));
        var changes = previous.Changes.Append(new Change(now, actor, what.Length == 0 ? "saved unchanged" : what))
            .TakeLast(RecentChanges).ToArray();
        var file = previous with { Data = input, Phones = normalizedPhones.Distinct().ToArray(), UpdatedAt = now, Changes = changes };
        await state.CommitAsync(new FamilyFileState { File = file }, this);
        await SyncIndexesAsync(previous.Phones, file);
        return file;
    }

    private async Task SyncIndexesAsync(string[] oldPhones, FamilyFile file)
    {
        var id = file.Id;
        var removals = oldPhones.Except(file.Phones).Select(p => GrainFactory.GetGrain<IPhoneIndexGrain>(PhoneKey(p)).RemoveAsync(id));
        var additions = file.Phones.Select(p => GrainFactory.GetGrain<IPhoneIndexGrain>(PhoneKey(p)).AddAsync(id));
        var directory = GrainFactory.GetGrain<IDirectoryGrain<FamilyFileSummary>>(DirectoryShards.FamilyFiles.KeyFor(id))
            .UpsertAsync(ToSummary(file));
        await Task.WhenAll(removals.Concat(additions).Append(directory));
    }

    private string PhoneKey(string normalizedPhone) => phoneKeys.For(normalizedPhone);

    internal static FamilyFileSummary ToSummary(FamilyFile file) => new(
        file.Id, file.Data.WorkerName, file.Data.Posting, file.Phones,
        file.Data.Addresses.FirstOrDefault()?.Text, file.Data.PairedVolunteerIds);

    /// <summary>Names the parts of a file that an update changed, for the audit trail (names only, never values).</summary>
    internal static IEnumerable<string> Describe(FamilyFileInput before, FamilyFileInput after)
    {
        if (before.WorkerName != after.WorkerName) yield return "workerName";
        if (before.WorkerPhone != after.WorkerPhone) yield return "workerPhone";
        if (before.Posting != after.Posting) yield return "posting";
        if (!before.FamilyMembers.SequenceEqual(after.FamilyMembers)) yield return "familyMembers";
        if (!before.Addresses.SequenceEqual(after.Addresses)) yield return "addresses";
        if (before.Notes != after.Notes) yield return "notes";
        if (!(before.PairedVolunteerIds ?? []).SequenceEqual(after.PairedVolunteerIds ?? [])) yield return "pairedVolunteerIds";
    }
}
