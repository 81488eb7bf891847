using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Outreach.Database;
using Outreach.Reach;

namespace Outreach.Grains.Reach;

/// <summary>
/// Keeps the delivery records (<c>outreach_deliveries</c>, through its owner <see cref="DeliveryTable"/>). Records are
/// queued and written in batches by one background loop, so a channel's answer never waits for the database; a batch
/// that cannot be written for a fault on the way (a lost connection, a timeout) is tried again, and one the database
/// refuses for what is in it is halved down to the rows at fault, which are dropped and logged as errors, so one bad
/// record never holds back the ones queued after it. While a full batch is waiting the loop writes back to back, so it keeps up
/// with any rate the database takes (at 100 requests/s with fifty offers each, 5,000 records a second). The queue is
/// bounded: under a long outage the oldest unwritten records are dropped, and counted in a warning — the record is an
/// account of what was tried, never a condition of trying it.
/// </summary>
public sealed class DeliveryLog : BackgroundService
{
    private const int Capacity = 100_000;
    private const int BatchSize = 500;
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long the loop lets records gather after the first of a batch: the offers of the requests around it go in the
    /// same statement (at 100 requests/s, one insert for about twenty requests instead of one for every one or two).
    /// </summary>
    private static readonly TimeSpan DefaultLinger = TimeSpan.FromMilliseconds(200);

    private readonly DeliveryTable _table;
    private readonly ILogger<DeliveryLog> _log;
    private readonly TimeSpan _linger;
    private readonly Channel<DeliveryRow> _queue;
    private long _dropped;
    private long _refused;

    public DeliveryLog(NpgsqlDataSource database, ILogger<DeliveryLog> log)
        : this(database, log, DefaultLinger)
    {
    }

    internal DeliveryLog(NpgsqlDataSource database, ILogger<DeliveryLog> log, TimeSpan linger)
    {
        _table = new DeliveryTable(database);
        _log = log;
        _linger = linger;
        _queue = Channel.CreateBounded<DeliveryRow>(
            new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    /// <summary>Records dropped unwritten because the queue was full, since the start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Records the database refused for what was in them (and so dropped), since the start.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Queues a record for writing.</summary>
    public void Record(DeliveryRecord record) => Queue(new DeliveryRow(record));

    /// <summary>
    /// Queues the same record for each of <paramref name="volunteers"/> (a round's offer handed to their live pages):
    /// one row, read back as one record per volunteer.
    /// </summary>
    public void RecordAll(DeliveryRecord record, Guid[] volunteers)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(volunteers);
        if (volunteers.Length > 0)
            Queue(new DeliveryRow(record with { VolunteerId = null }, volunteers));
    }

    private void Queue(DeliveryRow row)
    {
        if (!_queue.Writer.TryWrite(row))
            _log.LogWarning("Delivery record queue closed; a record of request {RequestId} is not kept", row.Record.RequestId);
    }

    /// <summary>A request's records, oldest first.</summary>
    public Task<DeliveryRecord[]> ReadAsync(Guid requestId, CancellationToken cancellationToken = default) =>
        _table.OfRequestAsync(requestId, cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<DeliveryRow>(BatchSize);
        long droppedTold = 0;
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                // Linger only for a batch not yet full; a backlog is written back to back.
                if (_queue.Reader.Count < BatchSize)
                    await Task.Delay(_linger, stoppingToken);
                if (Dropped is var dropped && dropped > droppedTold)
                {
                    _log.LogWarning("{Count} delivery records dropped unwritten: the queue of {Capacity} was full", dropped - droppedTold, Capacity);
                    droppedTold = dropped;
                }
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
                _log.LogWarning("{Count} delivery records not kept at shutdown ({Reason})", batch.Count, e.Message);
            }
        }
    }

    private async Task WriteUntilDoneAsync(List<DeliveryRow> batch, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await WriteAsync(batch, stoppingToken);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException && RowBatch.IsRowError(e))
            {
                await WriteAroundRefusedAsync(batch, e, stoppingToken);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _log.LogWarning("{Count} delivery records not written yet ({Reason}); trying again", batch.Count, e.Message);
                await Task.Delay(RetryAfter, stoppingToken);
            }
        }
    }

    /// <summary>Writes the halves of a batch the database refused, each on its own, down to the single records at fault.</summary>
    private async Task WriteAroundRefusedAsync(List<DeliveryRow> batch, Exception error, CancellationToken stoppingToken)
    {
        if (batch.Count == 1)
        {
            Interlocked.Increment(ref _refused);
            _log.LogError("A delivery record of request {RequestId} was refused by the database ({ErrorType}, SQL state {SqlState}) and is not kept",
                batch[0].Record.RequestId, error.GetType().Name, RowBatch.SqlStateOf(error));
            return;
        }
        var half = batch.Count / 2;
        await WriteUntilDoneAsync(batch.GetRange(0, half), stoppingToken);
        await WriteUntilDoneAsync(batch.GetRange(half, batch.Count - half), stoppingToken);
    }

    private Task WriteAsync(List<DeliveryRow> batch, CancellationToken cancellationToken) => _table.WriteAsync(batch, cancellationToken);
}
