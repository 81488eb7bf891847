using Npgsql;
using Outreach.Grains.Reach;
using Outreach.Reach;
using Outreach.Tests.Dispatch;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Reach;

/// <summary>
/// A write interrupted on the way (its statement cancelled — statement_timeout, an operator's cancel — or its
/// backend terminated — a database restart) is not the fault of what is in it: the record must be written on the
/// retry, not dropped as "refused by the database".
/// </summary>
[Category(TestCategory.Database)]
public sealed class DeliveryLogInterruptionTests() : LedgerDatabaseTests("deliveryinterrupt")
{
    private static readonly DateTimeOffset At = new(2026, 11, 5, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("pg_cancel_backend")]    // SQL state 57014 query_canceled
    [InlineData("pg_terminate_backend")] // SQL state 57P01 admin_shutdown
    public async Task ARecordWhoseWriteWasInterrupted_IsWrittenOnTheRetry_NotDroppedAsRefused(string interrupt)
    {
        var logger = new ListLogger<DeliveryLog>();
        var log = new DeliveryLog(Db.DataSource, logger);
        var request = Guid.NewGuid();
        await using var other = NpgsqlDataSource.Create(Db.ConnectionString);
        await using var locker = await other.OpenConnectionAsync();
        await using var tx = await locker.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE outreach_deliveries IN ACCESS EXCLUSIVE MODE", locker, tx))
            await lockTable.ExecuteNonQueryAsync();
        await log.StartAsync(CancellationToken.None);

        log.Record(new DeliveryRecord(At, request, Guid.NewGuid(), ReachEvents.Offer, ReachChannel.Socket, DeliveryOutcomes.Sent, null));
        var pid = await ClusterWaits.UntilAsync(async () =>
        {
            // Another connection: pg_stat_activity is a snapshot per transaction.
            await using var find = other.CreateCommand(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY outreach_deliveries%' AND wait_event_type = 'Lock'");
            return await find.ExecuteScalarAsync() as int?;
        }, p => p is not null, "the COPY waiting for the lock", TimeSpan.FromSeconds(15));
        await using (var kill = other.CreateCommand($"SELECT {interrupt}({pid})"))
            await kill.ExecuteNonQueryAsync();
        await tx.CommitAsync();

        await ClusterWaits.UntilAsync(async () => (await log.ReadAsync(request)).Length + log.Refused, n => n > 0,
            "the record written or refused", TimeSpan.FromSeconds(20));
        await log.StopAsync(CancellationToken.None);

        Assert.True(log.Refused == 0, "dropped as refused: " + string.Join(" | ", logger.Lines.Select(l => l.Message)));
        Assert.Single(await log.ReadAsync(request));
    }
}
