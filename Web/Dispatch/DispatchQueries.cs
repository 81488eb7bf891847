using System.Data;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Outreach.Database;
using Outreach.Dispatch;
using Outreach.Model;

namespace Outreach.Web.Dispatch;

/// <summary>
/// Lists and figures over the request ledger, read through its owner (<see cref="RequestTable"/>, which the request
/// grains write), and the delivery figures from the delivery record. The figures count arrivals within the
/// configured service circle (<see cref="CircleSetting"/>).
/// </summary>
public sealed class DispatchQueries(NpgsqlDataSource database, IOptions<CircleSetting> circle)
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

    private readonly RequestTable _requests = new(database);

    /// <summary>Requests newest first: open ones or all, optionally of one station and created since a time; at most <paramref name="limit"/> (≤ 500).</summary>
    public Task<RequestRow[]> ListAsync(string status, Guid? stationId, DateTimeOffset? since, int limit,
        CancellationToken cancellationToken = default) =>
        ListAsync(new RequestFilter(status, stationId, since), limit, cancellationToken);

    /// <summary>Requests newest first matching the filter; at most <paramref name="limit"/> (≤ 500).</summary>
    public Task<RequestRow[]> ListAsync(RequestFilter filter, int limit, CancellationToken cancellationToken = default) =>
        _requests.ListAsync(filter, limit, cancellationToken);

    /// <summary>The offers open to a volunteer, newest first: one indexed read, whatever the number of open requests.</summary>
    public Task<OfferView[]> OffersForAsync(Guid volunteerId, CancellationToken cancellationToken = default) =>
        _requests.OffersForAsync(volunteerId, cancellationToken);

    /// <summary>The ids of the open requests assigned to a volunteer, as their own rows say: one indexed read.</summary>
    public Task<Guid[]> AssignedToAsync(Guid volunteerId, CancellationToken cancellationToken = default) =>
        _requests.AssignedToAsync(volunteerId, cancellationToken);

    /// <summary>A volunteer's open offers and the ids of their current jobs: two indexed reads in one round trip.</summary>
    public Task<(OfferView[] Offers, Guid[] Assigned)> WorkOfAsync(Guid volunteerId, CancellationToken cancellationToken = default) =>
        _requests.WorkOfAsync(volunteerId, cancellationToken);

    /// <summary>One page of the open requests' ids, oldest first, after <paramref name="after"/>: every open request is on some page.</summary>
    public Task<Guid[]> OpenPageAsync(Guid? after, int limit, CancellationToken cancellationToken = default) =>
        _requests.OpenPageAsync(after, limit, cancellationToken);

    // On-duty volunteers per square of the map's grid inside the view, from the dispatch cells' rows
    // (outreach_dispatch_cell_entries: one per volunteer, in the cell that holds them; positions as last written).
    private const string VolunteerSquaresSql = """
        SELECT floor(lat / $5)::bigint AS r, floor(lon / $5)::bigint AS c, count(*)::int, avg(lat), avg(lon), array_agg(DISTINCT cell)
        FROM outreach_dispatch_cell_entries
        WHERE lat >= $1 AND lat <= $3 AND lon >= $2 AND lon <= $4
        GROUP BY 1, 2
        """;

    /// <summary>
    /// The on-duty volunteers inside the box counted per square of <paramref name="squareDegrees"/>, with the dispatch
    /// cells (grain keys) that hold them: read from the cells' rows, no grain called.
    /// </summary>
    public async Task<VolunteerSquare[]> VolunteerSquaresAsync(MapBox box, double squareDegrees, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(box);
        await using var command = database.CreateCommand(VolunteerSquaresSql);
        foreach (var value in new[] { box.South, box.West, box.North, box.East, squareDegrees })
            command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var squares = new List<VolunteerSquare>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var (row, column) = (reader.GetInt64(0), reader.GetInt64(1));
            squares.Add(new VolunteerSquare(
                new MapBox(row * squareDegrees, column * squareDegrees, (row + 1) * squareDegrees, (column + 1) * squareDegrees),
                reader.GetInt32(2), new GeoPoint(reader.GetDouble(3), reader.GetDouble(4)), reader.GetFieldValue<string[]>(5)));
        }
        return [.. squares];
    }


    /// <summary>The figures over the requests created since <paramref name="since"/>, with the hourly chart of the 24 hours up to <paramref name="now"/>.</summary>
    public async Task<DispatchStats> StatsAsync(DateTimeOffset since, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var circleMinutes = circle.Value.CircleMinutes;
        var figuresTask = _requests.FiguresAsync(since, now, circleMinutes, cancellationToken);
        var deliveries = await DeliveriesAsync(since, cancellationToken);
        var figures = await figuresTask;
        var arrived = figures.TimeToArrival.Count;
        var reach = new ReachShare(circleMinutes, arrived, figures.ArrivedOnTime, arrived == 0 ? null : (double)figures.ArrivedOnTime / arrived);
        return new DispatchStats(since, now, figures.ByStatus.Values.Sum(), figures.Escalated, figures.ByStatus, figures.ByCategory,
            figures.TimeToClaim, figures.TimeToArrival, reach, figures.LastDay, Deliveries: deliveries);
    }

    /// <summary>Offers made since <paramref name="since"/>, how many a device showed, and the answers by channel.</summary>
    private async Task<DeliveryFigures> DeliveriesAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var batch = database.CreateBatch();
        batch.BatchCommands.Add(Command(OffersReachedSql, Time(since)));
        batch.BatchCommands.Add(Command(DeliveriesByChannelSql, Time(since)));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);

        await reader.ReadAsync(cancellationToken);
        var (offers, seen) = (reader.GetInt32("offers"), reader.GetInt32("seen"));
        await reader.NextResultAsync(cancellationToken);
        var byChannel = await RequestTable.ReadCountsAsync(reader, [], cancellationToken);
        return new DeliveryFigures(offers, seen, offers - seen, byChannel);
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter<DateTime> Time(DateTimeOffset value) =>
        new NpgsqlParameter<DateTime> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = value.UtcDateTime };
}
