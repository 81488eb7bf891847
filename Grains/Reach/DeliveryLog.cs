using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Outreach.Database;
using Outreach.Reach;

namespace Outreach.Grains.Reach;

/// <summary>
/// Keeps the delivery records (<c>outreach_deliveries</c>, through its owner <see cref="DeliveryTable"/>). Records are
/// queued and written in batches by one background loop, so a channel's answer never waits for the database; a batch that cannot be written is tried again (the queue is bounded: under a
/// long outage the oldest unwritten records are dropped, with a warning — the record is an account of what was tried,
/// never a condition of trying it).
/// </summary>
public sealed class DeliveryLog(NpgsqlDataSource database, ILogger<DeliveryLog> log) : BackgroundService
{
    private const int Capacity = 100_000;
    private const int BatchSize = 500;
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long the loop lets records gather after the first of a batch: the offers of the requests around it go in the
    /// same statement (at 100 requests/s, one insert for about twenty requests instead of one for every one or two).
    /// </summary>
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(200);

    private readonly DeliveryTable _table = new(database);

    private readonly Channel<DeliveryRecord> _queue = Channel.CreateBounded<DeliveryRecord>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    /// <summary>Queues a record for writing.</summary>
    public void Record(DeliveryRecord record)
    {
        if (!_queue.Writer.TryWrite(record))
            log.LogWarning("Delivery record queue closed; a record of request {RequestId} is not kept", record.RequestId);
    }

    /// <summary>A request's records, oldest first.</summary>
    public Task<DeliveryRecord[]> ReadAsync(Guid requestId, CancellationToken cancellationToken = default) =>
        _table.OfRequestAsync(requestId, cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<DeliveryRecord>(BatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(Linger, stoppingToken);
                while (batch.Count < BatchSize && _queue.Reader.TryRead(out var record))
                    batch.Add(record);
                await WriteUntilDoneAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is still queued is written once more below.
        }
        while (_queue.Reader.TryRead(out var record))
            batch.Add(record);
        if (batch.Count > 0)
        {
            try
            {
                await WriteAsync(batch, CancellationToken.None);
            }
            catch (Exception e)
            {
                log.LogWarning("{Count} delivery records not kept at shutdown ({Reason})", batch.Count, e.Message);
            }
        }
    }

    private async Task WriteUntilDoneAsync(List<DeliveryRecord> batch, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await WriteAsync(batch, stoppingToken);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("{Count} delivery records not written yet ({Reason}); trying again", batch.Count, e.Message);
                await Task.Delay(RetryAfter, stoppingToken);
            }
        }
    }

    private Task WriteAsync(List<DeliveryRecord> batch, CancellationToken cancellationToken) => _table.WriteAsync(batch, cancellationToken);
}
