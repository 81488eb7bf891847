namespace Outreach.Tests.Persistence;

/// <summary>A test grain that records, in its own persisted state, every time its reminder fires.</summary>
[Alias("Outreach.Tests.IReminderProbeGrain")]
public interface IReminderProbeGrain : IGrainWithGuidKey
{
    /// <summary>Registers (or re-registers) the reminder with the given due time and period.</summary>
    [Alias("Start")]
    Task StartAsync(TimeSpan dueTime, TimeSpan period);

    /// <summary>Unregisters the reminder if it exists.</summary>
    [Alias("Stop")]
    Task StopAsync();

    /// <summary>When the reminder fired, oldest first, as persisted.</summary>
    [Alias("GetTicks")]
    Task<DateTimeOffset[]> GetTicksAsync();
}
