using Outreach.Files;
using Outreach.Grains.Storage;

namespace Outreach.Grains.Files;

/// <summary>Persisted state of one phone number's index entry.</summary>
[GenerateSerializer, Alias("Outreach.PhoneIndexState")]
public sealed class PhoneIndexState
{
    [Id(0)] public HashSet<Guid> WorkerIds { get; set; } = [];
}

/// <summary>The family files that list one normalised phone number; a change is written before it is kept (<see cref="StateCommit"/>).</summary>
public sealed class PhoneIndexGrain(
    [PersistentState("phoneIndex", SiloSetup.StorageName)] IPersistentState<PhoneIndexState> state)
    : Grain, IPhoneIndexGrain
{
    public async Task AddAsync(Guid workerId)
    {
        if (!state.State.WorkerIds.Contains(workerId))
            await state.CommitAsync(new PhoneIndexState { WorkerIds = [.. state.State.WorkerIds, workerId] }, this);
    }

    public async Task RemoveAsync(Guid workerId)
    {
        if (state.State.WorkerIds.Contains(workerId))
            await state.CommitAsync(new PhoneIndexState { WorkerIds = [.. state.State.WorkerIds.Where(id => id != workerId)] }, this);
    }

    public Task<Guid[]> GetAsync() => Task.FromResult(state.State.WorkerIds.ToArray());
}
