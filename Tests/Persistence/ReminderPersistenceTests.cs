using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Persistence;

/// <summary>Reminders live in PostgreSQL, so one registered before a cluster restart still fires after it.</summary>
[Collection(PostgresClusterCollection.Name)]
[Category(TestCategory.Grains)]
public sealed class ReminderPersistenceTests(PostgresClusterFixture fixture)
{
    private static readonly TimeSpan _tickTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Reminder_RegisteredBeforeRestart_FiresAfterIt()
    {
        var probeId = Guid.NewGuid();
        await fixture.Client.GetGrain<IReminderProbeGrain>(probeId).StartAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var beforeRestart = await ReminderProbeSignals.WaitForTickAfterAsync(probeId, DateTimeOffset.MinValue, _tickTimeout);
        try
        {
            await fixture.RestartAsync();
            var restartedAt = DateTimeOffset.UtcNow;

            var afterRestart = await ReminderProbeSignals.WaitForTickAfterAsync(probeId, restartedAt, _tickTimeout);

            var ticks = await fixture.Client.GetGrain<IReminderProbeGrain>(probeId).GetTicksAsync();
            Assert.Contains(beforeRestart, ticks);
            Assert.Contains(afterRestart, ticks);
        }
        finally
        {
            await fixture.Client.GetGrain<IReminderProbeGrain>(probeId).StopAsync();
        }
    }
}
