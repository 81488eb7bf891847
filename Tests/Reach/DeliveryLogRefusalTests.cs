using Outreach.Database;
using Outreach.Grains.Reach;
using Outreach.Reach;
using Outreach.Tests.Dispatch;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Reach;

/// <summary>
/// The delivery record when the database refuses a record for what is in it (not for a fault on the way): the records
/// queued with it and after it are written, and the one at fault is dropped and logged — before, its batch was tried
/// every 2 s forever and nothing after it was written. A provider's answer with a NUL is stored, not refused.
/// </summary>
[Category(TestCategory.Database)]
public sealed class DeliveryLogRefusalTests() : LedgerDatabaseTests("deliveryrefusal")
{
    private static readonly DateTimeOffset At = new(2026, 11, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ARecordTheDatabaseRefuses_IsDroppedAlone_TheRecordsBesideAndAfterItAreWritten()
    {
        var logger = new ListLogger<DeliveryLog>();
        var log = new DeliveryLog(Db.DataSource, logger);
        var (refused, beside, after) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await using var fault = await StorageFaults.RefuseWritesAsync(Db.ConnectionString, "outreach_deliveries", $"NEW.request_id = '{refused}'");
        await log.StartAsync(CancellationToken.None);

        for (var i = 0; i < 10; i++)
            log.Record(Offer(beside, i));
        log.Record(Offer(refused, 10));
        for (var i = 11; i < 20; i++)
            log.Record(Offer(beside, i));
        await ClusterWaits.UntilAsync(() => Task.FromResult(log.Refused), n => n > 0, "the refused record", TimeSpan.FromSeconds(15));
        for (var i = 0; i < 10; i++)
            log.Record(Offer(after, 20 + i));
        var written = await ClusterWaits.UntilAsync(async () => (await log.ReadAsync(beside)).Length + (await log.ReadAsync(after)).Length,
            n => n == 29, "every record but the refused one", TimeSpan.FromSeconds(15));
        await log.StopAsync(CancellationToken.None);

        Assert.Equal(29, written);
        Assert.Equal(1, log.Refused);
        Assert.Empty(await log.ReadAsync(refused));
        Assert.DoesNotContain(logger.Lines, l => l.Message.Contains("trying again", StringComparison.Ordinal)); // not taken for an outage
        Assert.Contains(logger.Lines, l => l.Message.Contains(refused.ToString(), StringComparison.Ordinal) && l.Message.Contains("22023", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AProvidersAnswerWithANulOrHalfASurrogatePair_IsStoredReadably()
    {
        var log = new DeliveryLog(Db.DataSource, new ListLogger<DeliveryLog>());
        await log.StartAsync(CancellationToken.None);
        var request = Guid.NewGuid();

        log.Record(new DeliveryRecord(At, request, Guid.NewGuid(), ReachEvents.Offer, ReachChannel.Sms, DeliveryOutcomes.Failed, "isv.\0BUSINESS"));
        log.Record(new DeliveryRecord(At.AddSeconds(1), request, Guid.NewGuid(), ReachEvents.Offer, ReachChannel.Robot, DeliveryOutcomes.Failed, "bad \uD83D tail" + new string('x', 600)));
        var records = await ClusterWaits.UntilAsync(() => log.ReadAsync(request), r => r.Length == 2, "both records", TimeSpan.FromSeconds(15));
        await log.StopAsync(CancellationToken.None);

        Assert.Equal("isv.\uFFFDBUSINESS", records[0].Detail);
        Assert.StartsWith("bad \uFFFD tail", records[1].Detail, StringComparison.Ordinal);
        Assert.Equal(DeliveryTable.MaxText, records[1].Detail!.Length);
    }

    private static DeliveryRecord Offer(Guid request, int second) =>
        new(At.AddSeconds(second), request, Guid.NewGuid(), ReachEvents.Offer, ReachChannel.Socket, DeliveryOutcomes.Sent, null);
}
