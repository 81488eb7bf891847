using Outreach.Grains;

namespace Outreach.Tests.Persistence;

/// <summary>Records each reminder tick in its own state (state name <c>reminder-probe</c>) and signals the test.</summary>
public sealed class ReminderProbeGrain(
    [PersistentState("reminder-probe", SiloSetup.StorageName)] IPersistentState<ReminderProbeState> state,
    TimeProvider clock)
    : Grain, IReminderProbeGrain, IRemindable
{
    /// <summary>The name of the probe's one reminder.</summary>
    public const string ReminderName = "probe";

    public Task StartAsync(TimeSpan dueTime, TimeSpan period) => this.RegisterOrUpdateReminder(ReminderName, dueTime, period);

    public async Task StopAsync()
    {
        if (await this.GetReminder(ReminderName) is { } reminder)
            await this.UnregisterReminder(reminder);
    }

    public Task<DateTimeOffset[]> GetTicksAsync() => Task.FromResult(state.State.Ticks.ToArray());

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        var at = clock.GetUtcNow();
        state.State.Ticks.Add(at);
        await state.WriteStateAsync();
        ReminderProbeSignals.Record(this.GetPrimaryKey(), at);
    }
}
