namespace Outreach.Tests.Persistence;

/// <summary>Persisted state of a <see cref="ReminderProbeGrain"/>.</summary>
[GenerateSerializer, Alias("Outreach.Tests.ReminderProbeState")]
public sealed class ReminderProbeState
{
    [Id(0)] public List<DateTimeOffset> Ticks { get; set; } = [];
}
