namespace Outreach.Grains.Storage;

/// <summary>
/// "Commit before acknowledging" for a grain with one persistent state: the new state is a new object, written
/// first; only once stored does it stay in memory and may the grain answer or tell other grains.
/// </summary>
public static class StateCommit
{
    /// <summary>
    /// Writes <paramref name="next"/> as the state. If the write throws, the previous object is put back and the
    /// grain deactivates once idle (the write may have landed after all, so the next activation reads what is
    /// stored), and the error reaches the caller.
    /// </summary>
    public static async Task CommitAsync<TState>(this IPersistentState<TState> state, TState next, IGrainBase grain)
    {
        ArgumentNullException.ThrowIfNull(state);
        var previous = state.State;
        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = previous;
            grain.DeactivateOnIdle();
            throw;
        }
    }
}
