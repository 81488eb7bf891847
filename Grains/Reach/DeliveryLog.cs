using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Outreach.Reach;

namespace Outreach.Grains.Reach;

/// <summary>
/// Owns <c>outreach_deliveries</c>. Records are queued and written in batches by one background loop, so a channel's
/// answer never waits for the database; a batch that cannot be written is tried again (the queue is bounded: under a
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

    private readonly Channel<DeliveryRecord> _queue = Channel.CreateBounded<DeliveryRecord>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    /// <summary>Queues a record for writing.</summary>
    public void Record(DeliveryRecord record)
    {
        if (!_queue.Writer.TryWrite(record))
            log.LogWarning("Delivery record queue closed; a record of request {RequestId} is not kept", record.RequestId);
    }

    /// <summary>A request's records, oldest first.</summary>
    public async Task<DeliveryRecord[]> ReadAsync(Guid requestId, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("""
            SELECT at, request_id, volunteer_id, event, channel, outcome, detail
            FROM outreach_deliveries WHERE request_id = $1 ORDER BY id
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = requestId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<DeliveryRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new DeliveryRecord(
                reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal("at")),
                reader.GetGuid(reader.GetOrdinal("request_id")),
                reader.IsDBNull(reader.GetOrdinal("volunteer_id")) ? null : reader.GetGuid(reader.GetOrdinal("volunteer_id")),
                reader.GetString(reader.GetOrdinal("event")),
                Enum.Parse<ReachChannel>(reader.GetString(reader.GetOrdinal("channel")), ignoreCase: true),
                reader.GetString(reader.GetOrdinal("outcome")),
                reader.IsDBNull(reader.GetOrdinal("detail")) ? null : reader.GetString(reader.GetOrdinal("detail"))));
        }
        return [.. records];
    }

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

    private async Task WriteAsync(List<DeliveryRecord> batch, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            INSERT INTO outreach_deliveries (at, request_id, volunteer_id, event, channel, outcome, detail)
            SELECT * FROM unnest($1::timestamptz[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[])
            """);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. batch.Select(r => r.At)] });
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. batch.Select(r => r.RequestId)] });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(r => (object?)r.VolunteerId ?? DBNull.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Select(r => r.Event)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Select(r => ChannelName(r.Channel))] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Select(r => r.Outcome)] });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(r => (object?)r.Detail ?? DBNull.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The channel's word in the table: <c>socket</c>, <c>push</c>, <c>robot</c>, <c>sms</c>.</summary>
    public static string ChannelName(ReachChannel channel) => channel.ToString().ToLowerInvariant();
}
