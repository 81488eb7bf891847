using Outreach.Accounts;
using Outreach.Grains.Storage;

namespace Outreach.Grains.Accounts;

/// <summary>Persisted state of a login.</summary>
[GenerateSerializer, Alias("Outreach.AccountState")]
public sealed class AccountState
{
    [Id(0)] public Account? Account { get; set; }
}

/// <summary>
/// One login. The grain only stores; hashing and checking passwords is the web host's job. A change is written
/// before it is kept or answered (<see cref="StateCommit"/>).
/// </summary>
public sealed class AccountGrain(
    [PersistentState("account", "outreach")] IPersistentState<AccountState> state)
    : Grain, IAccountGrain
{
    public Task<Account?> GetAsync() => Task.FromResult(state.State.Account);

    public async Task<bool> CreateAsync(Account account)
    {
        if (state.State.Account is not null)
            return false;
        await state.CommitAsync(new AccountState { Account = account }, this);
        return true;
    }

    public async Task<Account> UpsertAsync(Account account)
    {
        var stored = state.State.Account is { } existing ? account with { Id = existing.Id } : account;
        await state.CommitAsync(new AccountState { Account = stored }, this);
        return stored;
    }
}
