using Outreach.Files;

namespace Outreach.Grains.Files;

/// <summary>Persisted state of one phone number's index entry.</summary>
[GenerateSerializer, Alias("Outreach.PhoneIndexState")]
public sealed class PhoneIndexState
{
    [Id(0)] public HashSet<Guid> WorkerIds { get; set; } = [];
}

/// <summary>The family files that list one normalised phone number.</summary>
public sealed class PhoneIndexGrain(
    [PersistentState("phoneIndex", "outreach")] IPersistentState<PhoneIndexState> state)
    : Grain, IPhoneIndexGrain
{
    public async Task AddAsync(Guid workerId)
    {
        if (state.State.WorkerIds.Add(workerId))
            await state.WriteStateAsync();
    }

    public async Task RemoveAsync(Guid workerId)
    {
        if (state.State.WorkerIds.Remove(workerId))
            await state.WriteStateAsync();
    }

    public Task<Guid[]> GetAsync() => Task.FromResult(state.State.WorkerIds.ToArray());
}
