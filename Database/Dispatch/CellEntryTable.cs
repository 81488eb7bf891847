using Npgsql;
using Outreach.Dispatch;
using Outreach.Model;

namespace Outreach.Database;

/// <summary>On-duty volunteers in one square of a grid (row and column: floor of the degrees over the square's size), where they are on average, and the cells that hold them.</summary>
public sealed record CellSquareRow(long Row, long Column, int Count, GeoPoint Center, string[] Cells);

/// <summary>
/// The one owner of <c>outreach_dispatch_cell_entries</c> (migration 0007): one row per on-duty volunteer, in the
/// dispatch cell that holds them. The dispatch cell grains load and write their rows through it (<see cref="LoadAsync"/>,
/// <see cref="SaveAsync"/>, via the grains' <c>CellStore</c>); the web's map counts them per square
/// (<see cref="SquaresAsync"/>) without calling a grain. No other code has SQL against this table.
/// </summary>
public sealed class CellEntryTable(NpgsqlDataSource database)
{
    private const string SelectSql = """
        SELECT volunteer_id, name, lat, lon, position_at, skills, travel_mode, capacity, load, served_at, served_minutes
        FROM outreach_dispatch_cell_entries WHERE cell = $1
        """;

    private const string UpsertSql = """
        INSERT INTO outreach_dispatch_cell_entries
            (cell, volunteer_id, name, lat, lon, position_at, skills, travel_mode, capacity, load, served_at, served_minutes, written_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, now())
        ON CONFLICT (cell, volunteer_id) DO UPDATE SET
            name = EXCLUDED.name,
            lat = EXCLUDED.lat,
            lon = EXCLUDED.lon,
            position_at = EXCLUDED.position_at,
            skills = EXCLUDED.skills,
            travel_mode = EXCLUDED.travel_mode,
            capacity = EXCLUDED.capacity,
            load = EXCLUDED.load,
            served_at = EXCLUDED.served_at,
            served_minutes = EXCLUDED.served_minutes,
            written_at = EXCLUDED.written_at
        """;

    private const string DeleteSql = "DELETE FROM outreach_dispatch_cell_entries WHERE cell = $1 AND volunteer_id = ANY($2)";

    // On-duty volunteers per square of the map's grid inside the box ($1..$4: south, west, north, east; $5: the square's
    // size in degrees); positions as last written.
    private const string SquaresSql = """
        SELECT floor(lat / $5)::bigint AS r, floor(lon / $5)::bigint AS c, count(*)::int AS n, avg(lat) AS lat, avg(lon) AS lon,
               array_agg(DISTINCT cell) AS cells
        FROM outreach_dispatch_cell_entries
        WHERE lat >= $1 AND lat <= $3 AND lon >= $2 AND lon <= $4
        GROUP BY 1, 2
        """;

    /// <summary>Every entry stored for the cell.</summary>
    public async Task<IReadOnlyList<CellEntry>> LoadAsync(string cell, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(SelectSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = cell });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        // The columns by name, looked up once per read (a cell is loaded on every activation).
        var (volunteerId, name, lat, lon, positionAt, skills, travelMode, capacity, load, servedAt, servedMinutes) = (
            reader.GetOrdinal("volunteer_id"), reader.GetOrdinal("name"), reader.GetOrdinal("lat"), reader.GetOrdinal("lon"),
            reader.GetOrdinal("position_at"), reader.GetOrdinal("skills"), reader.GetOrdinal("travel_mode"), reader.GetOrdinal("capacity"),
            reader.GetOrdinal("load"), reader.GetOrdinal("served_at"), reader.GetOrdinal("served_minutes"));
        var entries = new List<CellEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new CellEntry(
                reader.GetGuid(volunteerId),
                reader.GetString(name),
                new GeoPoint(reader.GetDouble(lat), reader.GetDouble(lon)),
                reader.GetFieldValue<DateTimeOffset>(positionAt),
                [.. reader.GetFieldValue<string[]>(skills).Select(Enum.Parse<HelpCategory>)],
                Enum.Parse<TravelMode>(reader.GetString(travelMode)),
                reader.GetInt32(capacity),
                reader.GetInt32(load),
                Credits(reader.GetFieldValue<DateTime[]>(servedAt), reader.GetFieldValue<double[]>(servedMinutes))));
        }
        return entries;
    }

    /// <summary>Writes the given entries and deletes the given volunteers' rows of the cell, all or nothing.</summary>
    public Task SaveAsync(string cell, IReadOnlyCollection<CellEntry> upserts, IReadOnlyCollection<Guid> removals,
        CancellationToken cancellationToken = default) =>
        RowBatch.SaveAsync(database, cell, UpsertSql, upserts, Bind, DeleteSql, removals, cancellationToken);

    /// <summary>
    /// The on-duty volunteers inside the box (degrees) counted per square of <paramref name="squareDegrees"/>, with the
    /// dispatch cells that hold them.
    /// </summary>
    public async Task<CellSquareRow[]> SquaresAsync(double south, double west, double north, double east, double squareDegrees,
        CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(SquaresSql);
        foreach (var value in new[] { south, west, north, east, squareDegrees })
            command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var (row, column, count, lat, lon, cells) = (reader.GetOrdinal("r"), reader.GetOrdinal("c"), reader.GetOrdinal("n"),
            reader.GetOrdinal("lat"), reader.GetOrdinal("lon"), reader.GetOrdinal("cells"));
        var squares = new List<CellSquareRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            squares.Add(new CellSquareRow(reader.GetInt64(row), reader.GetInt64(column), reader.GetInt32(count),
                new GeoPoint(reader.GetDouble(lat), reader.GetDouble(lon)), reader.GetFieldValue<string[]>(cells)));
        }
        return [.. squares];
    }

    private static void Bind(NpgsqlParameterCollection p, CellEntry entry)
    {
        p.Add(new NpgsqlParameter<Guid> { TypedValue = entry.VolunteerId });
        p.Add(new NpgsqlParameter<string> { TypedValue = entry.Name });
        p.Add(new NpgsqlParameter<double> { TypedValue = entry.Position.Lat });
        p.Add(new NpgsqlParameter<double> { TypedValue = entry.Position.Lon });
        p.Add(new NpgsqlParameter<DateTime> { TypedValue = entry.PositionAt.UtcDateTime });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. entry.Skills.Select(s => s.ToString())] });
        p.Add(new NpgsqlParameter<string> { TypedValue = entry.TravelMode.ToString() });
        p.Add(new NpgsqlParameter<int> { TypedValue = entry.Capacity });
        p.Add(new NpgsqlParameter<int> { TypedValue = entry.Load });
        var recent = entry.RecentService ?? [];
        p.Add(new NpgsqlParameter<DateTime[]> { TypedValue = [.. recent.Select(c => c.At.UtcDateTime)] });
        p.Add(new NpgsqlParameter<double[]> { TypedValue = [.. recent.Select(c => c.Minutes)] });
    }

    private static ServiceCredit[]? Credits(DateTime[] at, double[] minutes) =>
        at.Length == 0 ? null : [.. at.Zip(minutes, (a, m) => new ServiceCredit(new DateTimeOffset(DateTime.SpecifyKind(a, DateTimeKind.Utc)), m))];
}
