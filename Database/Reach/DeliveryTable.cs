using System.Data;
using Npgsql;
using NpgsqlTypes;
using Outreach.Reach;
using static Outreach.Database.ColumnReads;

namespace Outreach.Database;

/// <summary>The offers made since a time (one per request and volunteer), how many a device showed, and the answers by channel.</summary>
public sealed record DeliveryCounts(int Offers, int Seen, Dictionary<string, int> ByChannel);

/// <summary>
/// The one owner of <c>outreach_deliveries</c> (migration 0011): what reached whom. The silo's <c>DeliveryLog</c>
/// writes the records in batches (<see cref="WriteAsync"/>) and reads a request's (<see cref="OfRequestAsync"/>); the
/// web's figures count them (<see cref="CountsSinceAsync"/>). No other code has SQL against this table.
/// </summary>
public sealed class DeliveryTable(NpgsqlDataSource database)
{
    // Offers made since $1 (one per request and volunteer), and how many a device showed.
    private const string OffersReachedSql = """
        SELECT count(*)::int AS offers, count(*) FILTER (WHERE seen)::int AS seen
        FROM (SELECT bool_or(outcome = 'seen') AS seen
              FROM outreach_deliveries
              WHERE event = 'offer' AND volunteer_id IS NOT NULL AND at >= $1
              GROUP BY request_id, volunteer_id) AS offers
        """;

    private const string DeliveriesByChannelSql =
        "SELECT channel || '.' || outcome AS word, count(*)::int AS n FROM outreach_deliveries WHERE at >= $1 AND outcome <> 'sent' GROUP BY 1";

    /// <summary>The channel's word in the table: <c>socket</c>, <c>push</c>, <c>robot</c>, <c>sms</c>.</summary>
    public static string ChannelName(ReachChannel channel) => channel.ToString().ToLowerInvariant();

    /// <summary>Writes <paramref name="records"/> in one statement.</summary>
    public async Task WriteAsync(IReadOnlyCollection<DeliveryRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        await using var command = database.CreateCommand("""
            INSERT INTO outreach_deliveries (at, request_id, volunteer_id, event, channel, outcome, detail)
            SELECT * FROM unnest($1::timestamptz[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[])
            """);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. records.Select(r => r.At)] });
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. records.Select(r => r.RequestId)] });
        command.Parameters.Add(new NpgsqlParameter { Value = records.Select(r => (object?)r.VolunteerId ?? DBNull.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. records.Select(r => r.Event)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. records.Select(r => ChannelName(r.Channel))] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. records.Select(r => r.Outcome)] });
        command.Parameters.Add(new NpgsqlParameter { Value = records.Select(r => (object?)r.Detail ?? DBNull.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A request's records, oldest first.</summary>
    public async Task<DeliveryRecord[]> OfRequestAsync(Guid requestId, CancellationToken cancellationToken = default)
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
                reader.GetFieldValue<DateTimeOffset>("at"),
                reader.GetGuid("request_id"),
                reader.OrNull<Guid>("volunteer_id"),
                reader.GetString("event"),
                Enum.Parse<ReachChannel>(reader.GetString("channel"), ignoreCase: true),
                reader.GetString("outcome"),
                reader.StringOrNull("detail")));
        }
        return [.. records];
    }

    /// <summary>The offers made since <paramref name="since"/>, how many a device showed, and the answers by channel (<c>channel.outcome</c>, all but <c>sent</c>).</summary>
    public async Task<DeliveryCounts> CountsSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var batch = database.CreateBatch();
        batch.BatchCommands.Add(Command(OffersReachedSql, Time(since)));
        batch.BatchCommands.Add(Command(DeliveriesByChannelSql, Time(since)));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);

        await reader.ReadAsync(cancellationToken);
        var (offers, seen) = (reader.GetInt32("offers"), reader.GetInt32("seen"));
        await reader.NextResultAsync(cancellationToken);
        var byChannel = await RequestTable.ReadCountsAsync(reader, [], cancellationToken);
        return new DeliveryCounts(offers, seen, byChannel);
    }
}
