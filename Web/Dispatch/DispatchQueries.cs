using Microsoft.Extensions.Options;
using Npgsql;
using Outreach.Database;
using Outreach.Dispatch;
using Outreach.Model;

namespace Outreach.Web.Dispatch;

/// <summary>
/// Lists and figures over the request ledger, read through its owner (<see cref="RequestTable"/>, which the request
/// grains write), the delivery figures from the delivery record (<see cref="DeliveryTable"/>) and the map's squares from
/// the dispatch cells' rows (<see cref="CellEntryTable"/>). The figures count arrivals within the configured service
/// circle (<see cref="CircleSetting"/>).
/// </summary>
public sealed class DispatchQueries(NpgsqlDataSource database, IOptions<CircleSetting> circle)
{

    private readonly RequestTable _requests = new(database);
    private readonly DeliveryTable _deliveries = new(database);
    private readonly CellEntryTable _cells = new(database);

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

    /// <summary>
    /// The on-duty volunteers inside the box counted per square of <paramref name="squareDegrees"/>, with the dispatch
    /// cells (grain keys) that hold them: read from the cells' rows, no grain called.
    /// </summary>
    public async Task<VolunteerSquare[]> VolunteerSquaresAsync(MapBox box, double squareDegrees, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(box);
        var squares = await _cells.SquaresAsync(box.South, box.West, box.North, box.East, squareDegrees, cancellationToken);
        return [.. squares.Select(s => new VolunteerSquare(
            new MapBox(s.Row * squareDegrees, s.Column * squareDegrees, (s.Row + 1) * squareDegrees, (s.Column + 1) * squareDegrees),
            s.Count, s.Center, s.Cells))];
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
        var counts = await _deliveries.CountsSinceAsync(since, cancellationToken);
        return new DeliveryFigures(counts.Offers, counts.Seen, counts.Offers - counts.Seen, counts.ByChannel);
    }
}
