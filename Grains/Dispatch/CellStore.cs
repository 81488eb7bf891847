using Npgsql;
using Outreach.Dispatch;
using Outreach.Grains.Storage;
using Outreach.Model;

namespace Outreach.Grains.Dispatch;

/// <summary>The dispatch index in <c>outreach_dispatch_cell_entries</c> (migration 0007).</summary>
public sealed class CellStore(NpgsqlDataSource database) : ICellStore
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

    public async Task<IReadOnlyList<CellEntry>> LoadAsync(string cell, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(SelectSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = cell });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<CellEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new CellEntry(
                reader.GetGuid(0),
                reader.GetString(1),
                new GeoPoint(reader.GetDouble(2), reader.GetDouble(3)),
                reader.GetFieldValue<DateTimeOffset>(4),
                [.. reader.GetFieldValue<string[]>(5).Select(Enum.Parse<HelpCategory>)],
                Enum.Parse<TravelMode>(reader.GetString(6)),
                reader.GetInt32(7),
                reader.GetInt32(8),
                Credits(reader.GetFieldValue<DateTime[]>(9), reader.GetFieldValue<double[]>(10))));
        }
        return entries;
    }

    public Task SaveAsync(string cell, IReadOnlyCollection<CellEntry> upserts, IReadOnlyCollection<Guid> removals,
        CancellationToken cancellationToken = default) =>
        RowBatch.SaveAsync(database, cell, UpsertSql, upserts, Bind, DeleteSql, removals, cancellationToken);

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
