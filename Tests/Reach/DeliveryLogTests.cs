using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Outreach.Grains.Reach;
using Outreach.Reach;
using Outreach.Tests.Dispatch;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Reach;

/// <summary>The delivery record's table and the figures over it: offers made, seen by a device, reached no device.</summary>
[Category(TestCategory.Database)]
public sealed class DeliveryLogTests() : LedgerDatabaseTests("deliveries")
{
    private static readonly DateTimeOffset Since = new(2026, 11, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Records_AreWrittenInOrder_AndCountedInTheFigures()
    {
        var log = new DeliveryLog(Db.DataSource, NullLogger<DeliveryLog>.Instance);
        await log.StartAsync(CancellationToken.None);
        var request = Guid.NewGuid();
        var other = Guid.NewGuid();
        Guid[] volunteers = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];
        var at = Since.AddHours(9);
        DeliveryRecord Record(Guid id, Guid? volunteer, string @event, ReachChannel channel, string outcome, string? detail = null) =>
            new(at = at.AddSeconds(1), id, volunteer, @event, channel, outcome, detail);

        log.Record(Record(request, volunteers[0], ReachEvents.Offer, ReachChannel.Socket, DeliveryOutcomes.Sent));
        log.Record(Record(request, volunteers[1], ReachEvents.Offer, ReachChannel.Socket, DeliveryOutcomes.Sent));
        log.Record(Record(request, volunteers[2], ReachEvents.Offer, ReachChannel.Socket, DeliveryOutcomes.Sent));
        log.Record(Record(request, volunteers[0], ReachEvents.Offer, ReachChannel.Socket, DeliveryOutcomes.Seen));
        log.Record(Record(request, volunteers[1], ReachEvents.Offer, ReachChannel.Push, DeliveryOutcomes.Accepted));
        log.Record(Record(request, volunteers[1], ReachEvents.Offer, ReachChannel.Push, DeliveryOutcomes.Seen));
        log.Record(Record(request, volunteers[2], ReachEvents.Offer, ReachChannel.Push, DeliveryOutcomes.Gone, "HTTP 410"));
        log.Record(Record(request, null, ReachEvents.Offer, ReachChannel.Robot, DeliveryOutcomes.Failed, "HTTP 500"));
        log.Record(Record(request, volunteers[0], ReachEvents.Claimed, ReachChannel.Sms, DeliveryOutcomes.Accepted, "OK"));
        // Another request's offer, before the figures' start: in its own record, not in the figures.
        log.Record(new DeliveryRecord(Since.AddMinutes(-1), other, volunteers[0], ReachEvents.Offer, ReachChannel.Socket, DeliveryOutcomes.Sent, null));

        DeliveryRecord[] records = [];
        for (var i = 0; i < 100 && records.Length < 9; i++)
        {
            await Task.Delay(100);
            records = await log.ReadAsync(request);
        }
        await log.StopAsync(CancellationToken.None);

        Assert.Equal(9, records.Length);
        Assert.Equal(records.OrderBy(r => r.At), records);
        Assert.Equal(new DeliveryRecord(records[6].At, request, volunteers[2], "offer", ReachChannel.Push, "gone", "HTTP 410"), records[6]);
        Assert.Null(records[7].VolunteerId);
        Assert.Single(await log.ReadAsync(other));

        var stats = await Db.Queries.StatsAsync(Since, Since.AddHours(10));
        var figures = stats.Deliveries!;
        Assert.Equal(3, figures.Offers);
        Assert.Equal(2, figures.Seen);
        Assert.Equal(1, figures.ReachedNoDevice);
        Assert.Equal(new Dictionary<string, int>
        {
            ["socket.seen"] = 1, ["push.accepted"] = 1, ["push.seen"] = 1, ["push.gone"] = 1, ["robot.failed"] = 1, ["sms.accepted"] = 1,
        }.OrderBy(p => p.Key), figures.ByChannel.OrderBy(p => p.Key));
    }

    [Fact]
    public async Task ABacklog_IsWrittenBackToBack_NotOneBatchPerLinger()
    {
        // A linger far longer than the test: only a loop that writes full batches without lingering gets them in.
        var log = new DeliveryLog(Db.DataSource, NullLogger<DeliveryLog>.Instance, TimeSpan.FromHours(1));
        var request = Guid.NewGuid();
        var at = Since.AddHours(9);
        for (var i = 0; i < 1_500; i++)
            log.Record(new DeliveryRecord(at.AddMilliseconds(i), request, Guid.NewGuid(), ReachEvents.Offer, ReachChannel.Socket, DeliveryOutcomes.Sent, null));
        await log.StartAsync(CancellationToken.None);

        var written = 0;
        for (var i = 0; i < 300 && written < 1_500; i++)
        {
            await Task.Delay(100);
            written = (await log.ReadAsync(request)).Length;
        }
        await log.StopAsync(CancellationToken.None);

        Assert.Equal(1_500, written);
        Assert.Equal(0, log.Dropped);
    }

    [Fact]
    public async Task ARound_IsOneRow_ReadBackAsOneRecordPerVolunteerInOrder_AndCountedPerVolunteer()
    {
        var log = new DeliveryLog(Db.DataSource, NullLogger<DeliveryLog>.Instance);
        await log.StartAsync(CancellationToken.None);
        var request = Guid.NewGuid();
        Guid[] round = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];
        var at = Since.AddHours(9);

        log.RecordAll(new DeliveryRecord(at, request, null, ReachEvents.Offer, ReachChannel.Socket, DeliveryOutcomes.Sent, null), round);
        log.RecordAll(new DeliveryRecord(at, request, null, ReachEvents.Offer, ReachChannel.Socket, DeliveryOutcomes.Sent, null), []); // nobody: no row
        log.Record(new DeliveryRecord(at.AddSeconds(1), request, round[1], ReachEvents.Offer, ReachChannel.Socket, DeliveryOutcomes.Seen, null));
        DeliveryRecord[] records = [];
        for (var i = 0; i < 100 && records.Length < 4; i++)
        {
            await Task.Delay(100);
            records = await log.ReadAsync(request);
        }
        await log.StopAsync(CancellationToken.None);
        await using var count = Db.DataSource.CreateCommand("SELECT count(*) FROM outreach_deliveries WHERE request_id = $1");
        count.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = request });

        Assert.Equal(2L, (long)(await count.ExecuteScalarAsync())!);
        Assert.Equal([.. round, round[1]], records.Select(r => r.VolunteerId!.Value));
        Assert.All(records.Take(3), r => Assert.Equal(new DeliveryRecord(at, request, r.VolunteerId, "offer", ReachChannel.Socket, "sent", null), r));
        var figures = (await Db.Queries.StatsAsync(Since, Since.AddHours(10))).Deliveries!;
        Assert.Equal(3, figures.Offers);
        Assert.Equal(1, figures.Seen);
        Assert.Equal(2, figures.ReachedNoDevice);
    }
}
