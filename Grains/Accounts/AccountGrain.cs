using Outreach.Accounts;

namespace Outreach.Grains.Accounts;

/// <summary>Persisted state of a login.</summary>
[GenerateSerializer, Alias("Outreach.AccountState")]
public sealed class AccountState
{
    [Id(0)] public Account? Account { get; set; }
}

/// <summary>One login. The grain only stores; hashing and checking passwords is the web host's job.</summary>
public sealed class AccountGrain(
    [PersistentState("account", "outreach")] IPersistentState<AccountState> state)
    : Grain, IAccountGrain
{
    public Task<Account?> GetAsync() => Task.FromResult(state.State.Account);

    public async Task<bool> CreateAsync(Account account)
    {
        if (state.State.Account is not null)
            return false;
        state.State.Account = account;
        await state.WriteStateAsync();
        return true;
    }

    public async Task<Account> UpsertAsync(Account account)
    {
        var stored = state.State.Account is { } existing ? account with { Id = existing.Id } : account;
        state.State.Account = stored;
        await state.WriteStateAsync();
        return stored;
    }
}
