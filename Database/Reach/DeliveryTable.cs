using System.Data;
using Npgsql;
using NpgsqlTypes;
using Outreach.Reach;
using static Outreach.Database.ColumnReads;

namespace Outreach.Database;

/// <summary>The offers made since a time (one per request and volunteer), how many a device showed, and the answers by channel.</summary>
public sealed record DeliveryCounts(int Offers, int Seen, Dictionary<string, int> ByChannel);

/// <summary>
/// One row to write: a record, or — with <see cref="Volunteers"/> — the same record for each of those volunteers at once
/// (a round's offer handed to the live pages), stored as one row and read back as one record per volunteer.
/// </summary>
public sealed record DeliveryRow(DeliveryRecord Record, Guid[]? Volunteers = null);

/// <summary>
/// The one owner of <c>outreach_deliveries</c> (migration 0011): what reached whom. The silo's <c>DeliveryLog</c>
/// writes the records in batches (<see cref="WriteAsync"/>) and reads a request's (<see cref="OfRequestAsync"/>); the
/// web's figures count them (<see cref="CountsSinceAsync"/>). No other code has SQL against this table.
/// </summary>
public sealed class DeliveryTable(NpgsqlDataSource database)
{
    // Each row as one record per volunteer: a row for many (volunteer_ids, migration 0019) in the listed order.
    private const string Expanded = """
        outreach_deliveries d LEFT JOIN LATERAL unnest(d.volunteer_ids) WITH ORDINALITY AS v(id, n) ON true
        """;

    // Offers made since $1 (one per request and volunteer), and how many a device showed.
    private const string OffersReachedSql = $"""
        SELECT count(*)::int AS offers, count(*) FILTER (WHERE seen)::int AS seen
        FROM (SELECT bool_or(d.outcome = 'seen') AS seen
              FROM {Expanded}
              WHERE d.event = 'offer' AND coalesce(v.id, d.volunteer_id) IS NOT NULL AND d.at >= $1
              GROUP BY d.request_id, coalesce(v.id, d.volunteer_id)) AS offers
        """;

    private const string DeliveriesByChannelSql = """
        SELECT channel || '.' || outcome AS word, sum(coalesce(cardinality(volunteer_ids), 1))::int AS n
        FROM outreach_deliveries WHERE at >= $1 AND outcome <> 'sent' GROUP BY 1
        """;

    /// <summary>The channel's word in the table: <c>socket</c>, <c>push</c>, <c>robot</c>, <c>sms</c>.</summary>
    public static string ChannelName(ReachChannel channel) => channel.ToString().ToLowerInvariant();

    /// <summary>Writes <paramref name="rows"/> in one statement (a binary <c>COPY</c>: all of them or none).</summary>
    public async Task WriteAsync(IReadOnlyCollection<DeliveryRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY outreach_deliveries (at, request_id, volunteer_id, volunteer_ids, event, channel, outcome, detail) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        foreach (var (record, volunteers) in rows)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(record.At, NpgsqlDbType.TimestampTz, cancellationToken);
            await copy.WriteAsync(record.RequestId, NpgsqlDbType.Uuid, cancellationToken);
            await WriteOrNullAsync(copy, volunteers is null ? record.VolunteerId : null, NpgsqlDbType.Uuid, cancellationToken);
            if (volunteers is null)
                await copy.WriteNullAsync(cancellationToken);
            else
                await copy.WriteAsync(volunteers, NpgsqlDbType.Array | NpgsqlDbType.Uuid, cancellationToken);
            await copy.WriteAsync(Storable(record.Event), NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(ChannelName(record.Channel), NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(Storable(record.Outcome), NpgsqlDbType.Text, cancellationToken);
            if (record.Detail is null)
                await copy.WriteNullAsync(cancellationToken);
            else
                await copy.WriteAsync(Storable(record.Detail), NpgsqlDbType.Text, cancellationToken);
        }
        await copy.CompleteAsync(cancellationToken);
    }

    /// <summary>The longest text kept in a record's column; a provider's answer beyond it is cut.</summary>
    public const int MaxText = 500;

    /// <summary>
    /// Text as PostgreSQL takes it: a provider's answer (an SMS gateway's code, a robot's message) may hold a NUL, which
    /// no text column accepts, or half of a surrogate pair, which is no UTF-8; both become U+FFFD, and the text is cut
    /// at <see cref="MaxText"/>.
    /// </summary>
    public static string Storable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var cut = text.Length > MaxText ? text[..MaxText] : text;
        if (!cut.Contains('\0', StringComparison.Ordinal) && !HasSurrogate(cut))
            return cut;
        var chars = cut.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] == '\0')
                chars[i] = '\uFFFD';
            else if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
                i++;
            else if (char.IsSurrogate(chars[i]))
                chars[i] = '\uFFFD';
        }
        return new string(chars);
    }

    private static bool HasSurrogate(string text)
    {
        foreach (var c in text)
        {
            if (char.IsSurrogate(c))
                return true;
        }
        return false;
    }

    private static async Task WriteOrNullAsync(NpgsqlBinaryImporter copy, Guid? value, NpgsqlDbType type, CancellationToken cancellationToken)
    {
        if (value is { } v)
            await copy.WriteAsync(v, type, cancellationToken);
        else
            await copy.WriteNullAsync(cancellationToken);
    }

    /// <summary>A request's records, oldest first.</summary>
    public async Task<DeliveryRecord[]> OfRequestAsync(Guid requestId, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand($"""
            SELECT d.at, d.request_id, coalesce(v.id, d.volunteer_id) AS volunteer_id, d.event, d.channel, d.outcome, d.detail
            FROM {Expanded}
            WHERE d.request_id = $1 ORDER BY d.id, v.n
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
