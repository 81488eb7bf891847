using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Outreach.Dispatch;
using Outreach.Model;

namespace Outreach.Web.Dispatch;

/// <summary>
/// Lists and figures over the request ledger (<c>outreach_requests</c>), which the request grains keep. The figures
/// count arrivals within the configured service circle (<see cref="CircleSetting"/>).
/// </summary>
public sealed class DispatchQueries(NpgsqlDataSource database, IOptions<CircleSetting> circle)
{
    /// <summary>The <c>status</c> filter for open requests: offered, claimed, en route or on site.</summary>
    public const string Open = "open";

    /// <summary>The <c>status</c> filter for every request.</summary>
    public const string All = "all";

    /// <summary>The most rows one list returns.</summary>
    public const int MaxRows = 500;

    private const string Columns = """
        id, version, status, escalated, category, urgency, lat, lon, station_id, worker_id, created_by,
        assigned_volunteer_id, offered_count, circle_minutes, created_at, claimed_at, en_route_at, on_site_at,
        completed_at, closed_at, deadline_at, followup_satisfied, followup_rating, recorded_at
        """;

    // The open statuses (Lifecycle.Open); the same list as the partial index ix_outreach_requests_open (LifecycleTests).
    private static readonly string OpenCondition = $"status IN ({string.Join(", ", Lifecycle.Open.Select(s => $"'{s}'"))})";

    private const string CountByStatusSql =
        "SELECT status, count(*)::int FROM outreach_requests WHERE created_at >= $1 GROUP BY status";

    private const string CountByCategorySql =
        "SELECT category, count(*)::int FROM outreach_requests WHERE created_at >= $1 GROUP BY category";

    private const string FiguresSql = """
        SELECT count(*) FILTER (WHERE escalated)::int,
               count(claim_minutes)::int,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY claim_minutes),
               percentile_cont(0.9) WITHIN GROUP (ORDER BY claim_minutes),
               count(arrival_minutes)::int,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY arrival_minutes),
               percentile_cont(0.9) WITHIN GROUP (ORDER BY arrival_minutes),
               count(*) FILTER (WHERE arrival_minutes <= $2)::int
        FROM (SELECT escalated,
                     (extract(epoch FROM claimed_at - created_at) / 60)::double precision AS claim_minutes,
                     (extract(epoch FROM on_site_at - created_at) / 60)::double precision AS arrival_minutes
              FROM outreach_requests
              WHERE created_at >= $1) AS r
        """;

    // Offers made since $1 (one per request and volunteer), and how many a device showed.
    private const string OffersReachedSql = """
        SELECT count(*)::int, count(*) FILTER (WHERE seen)::int
        FROM (SELECT bool_or(outcome = 'seen') AS seen
              FROM outreach_deliveries
              WHERE event = 'offer' AND volunteer_id IS NOT NULL AND at >= $1
              GROUP BY request_id, volunteer_id) AS offers
        """;

    private const string DeliveriesByChannelSql =
        "SELECT channel || '.' || outcome, count(*)::int FROM outreach_deliveries WHERE at >= $1 AND outcome <> 'sent' GROUP BY 1";

    // $1 = first hour, $2 = last hour (both hour starts), $3 = end of the last hour.
    private const string HourlySql = """
        WITH hours AS (SELECT generate_series($1::timestamptz, $2::timestamptz, interval '1 hour') AS hour),
             created AS (SELECT date_bin(interval '1 hour', created_at, $1::timestamptz) AS hour, count(*)::int AS n
                         FROM outreach_requests WHERE created_at >= $1 AND created_at < $3 GROUP BY 1),
             completed AS (SELECT date_bin(interval '1 hour', completed_at, $1::timestamptz) AS hour, count(*)::int AS n
                           FROM outreach_requests WHERE completed_at >= $1 AND completed_at < $3 GROUP BY 1)
        SELECT hours.hour, coalesce(created.n, 0), coalesce(completed.n, 0)
        FROM hours
        LEFT JOIN created ON created.hour = hours.hour
        LEFT JOIN completed ON completed.hour = hours.hour
        ORDER BY hours.hour
        """;

    /// <summary>The status filter of completed requests still waiting for their follow-up call (回访).</summary>
    public const string FollowUp = "followup";

    /// <summary>Whether <paramref name="status"/> is a word <see cref="ListAsync(RequestFilter, int, CancellationToken)"/> understands.</summary>
    /// <remarks>Exactly as written (no case folding), like every word of the API.</remarks>
    public static bool IsStatusFilter(string status) => status is Open or All or FollowUp;

    /// <summary>Requests newest first: open ones or all, optionally of one station and created since a time; at most <paramref name="limit"/> (≤ 500).</summary>
    public Task<RequestRow[]> ListAsync(string status, Guid? stationId, DateTimeOffset? since, int limit,
        CancellationToken cancellationToken = default) =>
        ListAsync(new RequestFilter(status, stationId, since), limit, cancellationToken);

    // The offers index is written with the request's state in one statement, so it lists exactly the open offers.
    private const string OffersSql = """
        SELECT o.request_id, r.category, r.urgency, o.eta_minutes, o.distance_m, r.lat, r.lon, r.created_at
        FROM outreach_offers o JOIN outreach_requests r ON r.id = o.request_id
        WHERE o.volunteer_id = $1 AND r.status = 'Offered'
        ORDER BY r.created_at DESC
        """;

    /// <summary>The offers open to a volunteer, newest first: one indexed read, whatever the number of open requests.</summary>
    public async Task<OfferView[]> OffersForAsync(Guid volunteerId, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(OffersSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = volunteerId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var offers = new List<OfferView>();
        while (await reader.ReadAsync(cancellationToken))
        {
            offers.Add(new OfferView(
                reader.GetGuid(0),
                Enum.Parse<HelpCategory>(reader.GetString(1)),
                Enum.Parse<Urgency>(reader.GetString(2)),
                reader.GetDouble(3),
                reader.GetDouble(4),
                GeoMath.Approximate(new GeoPoint(reader.GetDouble(5), reader.GetDouble(6))),
                new DateTimeOffset(reader.GetDateTime(7), TimeSpan.Zero),
                RequestStatus.Offered));
        }
        return [.. offers];
    }

    /// <summary>Requests newest first matching the filter; at most <paramref name="limit"/> (≤ 500).</summary>
    public async Task<RequestRow[]> ListAsync(RequestFilter filter, int limit, CancellationToken cancellationToken = default)
    {
        var status = filter.Status;
        if (!IsStatusFilter(status))
            throw new ArgumentException($"Unknown status filter '{status}'; expected '{Open}', '{All}' or '{FollowUp}'.", nameof(filter));
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);

        await using var command = database.CreateCommand();
        var sql = new StringBuilder($"SELECT {Columns} FROM outreach_requests WHERE true");
        if (status == Open)
            sql.Append(" AND ").Append(OpenCondition);
        if (status == FollowUp)
            sql.Append(" AND status = 'Completed' AND followup_satisfied IS NULL");
        if (filter.WorkerId is { } worker)
        {
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = worker });
            sql.Append(" AND worker_id = $").Append(command.Parameters.Count);
        }
        if (filter.CreatedBy is { } creator)
        {
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = creator });
            sql.Append(" AND created_by = $").Append(command.Parameters.Count);
        }
        var (stationId, since) = (filter.StationId, filter.Since);
        if (stationId is { } station)
        {
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = station });
            sql.Append(" AND station_id = $").Append(command.Parameters.Count);
        }
        if (since is { } from)
        {
            command.Parameters.Add(Time(from));
            sql.Append(" AND created_at >= $").Append(command.Parameters.Count);
        }
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Math.Min(limit, MaxRows) });
        sql.Append(" ORDER BY created_at DESC, id LIMIT $").Append(command.Parameters.Count);
        command.CommandText = sql.ToString();

        var rows = new List<RequestRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(ReadRow(reader));
        return [.. rows];
    }

    /// <summary>The figures over the requests created since <paramref name="since"/>, with the hourly chart of the 24 hours up to <paramref name="now"/>.</summary>
    public async Task<DispatchStats> StatsAsync(DateTimeOffset since, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var lastHour = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero);
        var firstHour = lastHour.AddHours(-23);

        await using var batch = database.CreateBatch();
        batch.BatchCommands.Add(Command(CountByStatusSql, Time(since)));
        batch.BatchCommands.Add(Command(CountByCategorySql, Time(since)));
        batch.BatchCommands.Add(Command(FiguresSql, Time(since), new NpgsqlParameter<double> { TypedValue = circle.Value.CircleMinutes }));
        batch.BatchCommands.Add(Command(HourlySql, Time(firstHour), Time(lastHour), Time(lastHour.AddHours(1))));
        batch.BatchCommands.Add(Command(OffersReachedSql, Time(since)));
        batch.BatchCommands.Add(Command(DeliveriesByChannelSql, Time(since)));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);

        var byStatus = await ReadCountsAsync(reader, Enum.GetNames<RequestStatus>(), cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var byCategory = await ReadCountsAsync(reader, Enum.GetNames<HelpCategory>(), cancellationToken);
        await reader.NextResultAsync(cancellationToken);

        await reader.ReadAsync(cancellationToken);
        var escalated = reader.GetInt32(0);
        var toClaim = new MinutesFigures(reader.GetInt32(1), NullableDouble(reader, 2), NullableDouble(reader, 3));
        var toArrival = new MinutesFigures(reader.GetInt32(4), NullableDouble(reader, 5), NullableDouble(reader, 6));
        var onTime = reader.GetInt32(7);
        var reach = new ReachShare(toArrival.Count, onTime, toArrival.Count == 0 ? null : (double)onTime / toArrival.Count);
        await reader.NextResultAsync(cancellationToken);

        var hours = new List<HourlyPoint>(24);
        while (await reader.ReadAsync(cancellationToken))
            hours.Add(new HourlyPoint(reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt32(1), reader.GetInt32(2)));
        await reader.NextResultAsync(cancellationToken);

        await reader.ReadAsync(cancellationToken);
        var (offers, seen) = (reader.GetInt32(0), reader.GetInt32(1));
        await reader.NextResultAsync(cancellationToken);
        var byChannel = await ReadCountsAsync(reader, [], cancellationToken);
        var deliveries = new DeliveryFigures(offers, seen, offers - seen, byChannel);

        return new DispatchStats(since, now, byStatus.Values.Sum(), escalated, byStatus, byCategory,
            toClaim, toArrival, reach, hours, Deliveries: deliveries);
    }

    /// <summary>Counts keyed by every known word (zero when absent), in declaration order, then any other word found.</summary>
    private static async Task<Dictionary<string, int>> ReadCountsAsync(NpgsqlDataReader reader, string[] known,
        CancellationToken cancellationToken)
    {
        var counts = known.ToDictionary(name => name, _ => 0, StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
            counts[reader.GetString(0)] = reader.GetInt32(1);
        return counts;
    }

    private static RequestRow ReadRow(NpgsqlDataReader r) => new(
        r.GetGuid(0),
        r.GetInt32(1),
        r.GetString(2),
        r.GetBoolean(3),
        r.GetString(4),
        r.GetString(5),
        new GeoPoint(r.GetDouble(6), r.GetDouble(7)),
        NullableGuid(r, 8),
        NullableGuid(r, 9),
        r.GetGuid(10),
        NullableGuid(r, 11),
        r.GetInt32(12),
        r.GetDouble(13),
        r.GetFieldValue<DateTimeOffset>(14),
        NullableTime(r, 15),
        NullableTime(r, 16),
        NullableTime(r, 17),
        NullableTime(r, 18),
        NullableTime(r, 19),
        NullableTime(r, 20),
        r.IsDBNull(21) ? null : r.GetBoolean(21),
        r.IsDBNull(22) ? null : r.GetInt32(22),
        r.GetFieldValue<DateTimeOffset>(23));

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter<DateTime> Time(DateTimeOffset value) =>
        new NpgsqlParameter<DateTime> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = value.UtcDateTime };

    private static Guid? NullableGuid(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetGuid(i);

    private static double? NullableDouble(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);

    private static DateTimeOffset? NullableTime(NpgsqlDataReader r, int i) =>
        r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
}
