using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Outreach.Dispatch;
using Outreach.Model;

namespace Outreach.Bench.Search;

/// <summary>
/// The candidate search in PostgreSQL, the way a user would write it: every volunteer one row, on duty or not,
/// loaded with COPY. Two variants over their own tables: plain SQL (a partial btree on (lat, lon) where on duty,
/// a bounding box, then the haversine) and PostGIS (a geography column with a partial GiST index, ST_DWithin,
/// ST_Distance on the sphere). Both apply the circle's rule in the query: skill, on duty, fresh, room under
/// capacity, ETA = metres × detour ÷ the mode's speed within the circle, best 50 by ETA (0.01 min) then id.
/// </summary>
public sealed class SqlSearch : ICandidateSearch
{
    private readonly NpgsqlDataSource _database;
    private readonly CircleRule _rule;
    private readonly bool _postgis;
    private readonly string _table;
    private readonly string _querySql;
    private bool _indexed;

    private SqlSearch(NpgsqlDataSource database, CircleRule rule, bool postgis)
    {
        _database = database;
        _rule = rule;
        _postgis = postgis;
        _table = postgis ? "bench_search_postgis" : "bench_search_plain";
        _querySql = postgis ? PostGisQuery() : PlainQuery();
    }

    public string Name => _postgis ? "PostGIS GiST" : "SQL btree(lat, lon)";

    /// <summary>Plain SQL: the table and its partial btree.</summary>
    public static Task<SqlSearch> PlainAsync(NpgsqlDataSource database, CircleRule rule) => CreateAsync(database, rule, false);

    /// <summary>PostGIS (the extension must exist in the database: bench.sh creates it).</summary>
    public static Task<SqlSearch> PostGisAsync(NpgsqlDataSource database, CircleRule rule) => CreateAsync(database, rule, true);

    private static async Task<SqlSearch> CreateAsync(NpgsqlDataSource database, CircleRule rule, bool postgis)
    {
        var search = new SqlSearch(database, rule, postgis);
        var geography = postgis
            ? ", geog geography(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography) STORED"
            : "";
        await using var command = database.CreateCommand($"""
            DROP TABLE IF EXISTS {search._table};
            CREATE TABLE {search._table} (
                id uuid PRIMARY KEY, lat float8 NOT NULL, lon float8 NOT NULL, skills int NOT NULL,
                travel_mode smallint NOT NULL, capacity int NOT NULL, load int NOT NULL, on_duty boolean NOT NULL,
                reported_at timestamptz NOT NULL{geography})
            """);
        await command.ExecuteNonQueryAsync();
        return search;
    }

    public async Task AddAsync(IReadOnlyList<SearchVolunteer> volunteers)
    {
        await using (var connection = await _database.OpenConnectionAsync())
        {
            await using var writer = await connection.BeginBinaryImportAsync(
                $"COPY {_table} (id, lat, lon, skills, travel_mode, capacity, load, on_duty, reported_at) FROM STDIN (FORMAT BINARY)");
            foreach (var v in volunteers)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(v.Id, NpgsqlDbType.Uuid);
                await writer.WriteAsync(v.Position.Lat, NpgsqlDbType.Double);
                await writer.WriteAsync(v.Position.Lon, NpgsqlDbType.Double);
                await writer.WriteAsync(v.SkillMask, NpgsqlDbType.Integer);
                await writer.WriteAsync((short)v.Mode, NpgsqlDbType.Smallint);
                await writer.WriteAsync(v.Capacity, NpgsqlDbType.Integer);
                await writer.WriteAsync(0, NpgsqlDbType.Integer);
                await writer.WriteAsync(v.OnDuty, NpgsqlDbType.Boolean);
                await writer.WriteAsync(v.ReportedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
            }
            await writer.CompleteAsync();
        }
        // The index is built once after the first load (faster than row by row), then kept up by later COPYs.
        if (!_indexed)
        {
            await ExecuteAsync(_postgis
                ? $"CREATE INDEX {_table}_geog ON {_table} USING gist (geog) WHERE on_duty"
                : $"CREATE INDEX {_table}_lat_lon ON {_table} (lat, lon) WHERE on_duty");
            _indexed = true;
        }
        // What autovacuum would do soon after: statistics, hint bits and the visibility map, so the first
        // measured searches do not pay for writing them.
        await ExecuteAsync($"VACUUM (ANALYZE) {_table}");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _database.CreateCommand(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }

    public async Task<ISearcher> OpenAsync()
    {
        var connection = await _database.OpenConnectionAsync();
        var command = new NpgsqlCommand(_querySql, connection);
        command.Parameters.Add(new NpgsqlParameter<double>());   // $1 lat
        command.Parameters.Add(new NpgsqlParameter<double>());   // $2 lon
        command.Parameters.Add(new NpgsqlParameter<int>());      // $3 skill bit
        command.Parameters.Add(new NpgsqlParameter<DateTime>()); // $4 oldest fresh report
        if (!_postgis)
        {
            command.Parameters.Add(new NpgsqlParameter<double>()); // $5 half the box's height in degrees
            command.Parameters.Add(new NpgsqlParameter<double>()); // $6 half its width
        }
        await command.PrepareAsync();
        return new Searcher(this, connection, command);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class Searcher(SqlSearch search, NpgsqlConnection connection, NpgsqlCommand command) : ISearcher
    {
        public async Task<Guid[]> FindAsync(SearchQuery query)
        {
            var p = command.Parameters;
            ((NpgsqlParameter<double>)p[0]).TypedValue = query.Position.Lat;
            ((NpgsqlParameter<double>)p[1]).TypedValue = query.Position.Lon;
            ((NpgsqlParameter<int>)p[2]).TypedValue = 1 << (int)query.Skill;
            ((NpgsqlParameter<DateTime>)p[3]).TypedValue = (DateTimeOffset.UtcNow - search._rule.PositionMaxAge).UtcDateTime;
            if (!search._postgis)
            {
                var (dLat, dLon) = search.Box(query.Position);
                ((NpgsqlParameter<double>)p[4]).TypedValue = dLat;
                ((NpgsqlParameter<double>)p[5]).TypedValue = dLon;
            }
            var ids = new List<Guid>(search._rule.MaxOffers);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                ids.Add(reader.GetGuid(0));
            return [.. ids];
        }

        public async ValueTask DisposeAsync()
        {
            await command.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    /// <summary>Half the height and width in degrees of a box that holds the fastest mode's reach (as GeoGrid.CellsCovering).</summary>
    private (double DLat, double DLon) Box(GeoPoint centre)
    {
        var reach = Enum.GetValues<TravelMode>().Max(_rule.ReachM) + 1;
        var dLat = reach / GeoMath.EarthRadiusM * 180 / Math.PI;
        var cosLat = Math.Cos(GeoMath.ToRadians(Math.Min(89, Math.Abs(centre.Lat) + dLat)));
        return (dLat, dLat / cosLat);
    }

    /// <summary>The ETA in minutes from the distance expression <paramref name="metres"/>, by the row's travel mode.</summary>
    private string Eta(string metres) => string.Create(CultureInfo.InvariantCulture,
        $"""
        {metres} * {_rule.DetourFactor:R} / (CASE travel_mode WHEN {(int)TravelMode.Walk} THEN {_rule.MetresPerSecond(TravelMode.Walk):R}
            WHEN {(int)TravelMode.Bike} THEN {_rule.MetresPerSecond(TravelMode.Bike):R} WHEN {(int)TravelMode.EBike} THEN {_rule.MetresPerSecond(TravelMode.EBike):R}
            ELSE {_rule.MetresPerSecond(TravelMode.Car):R} END) / 60
        """);

    private string Ranked(string inner) => string.Create(CultureInfo.InvariantCulture,
        $"SELECT id FROM ({inner}) c WHERE eta <= {_rule.CircleMinutes:R} ORDER BY round(eta::numeric, 2), id LIMIT {_rule.MaxOffers}");

    /// <summary>The haversine written as GeoMath.DistanceM computes it (entry first, the request's place second).</summary>
    private string PlainQuery() => Ranked(string.Create(CultureInfo.InvariantCulture, $"""
        SELECT id, {Eta($"2 * {GeoMath.EarthRadiusM:R} * asin(least(1, sqrt(" +
            "sin(($1 - lat) * pi() / 180 / 2) * sin(($1 - lat) * pi() / 180 / 2) + " +
            "cos(lat * pi() / 180) * cos($1 * pi() / 180) * sin(($2 - lon) * pi() / 180 / 2) * sin(($2 - lon) * pi() / 180 / 2))))")} AS eta
        FROM {_table}
        WHERE on_duty AND lat BETWEEN $1 - $5 AND $1 + $5 AND lon BETWEEN $2 - $6 AND $2 + $6
          AND skills & $3 <> 0 AND reported_at >= $4 AND load < capacity
        """));

    /// <summary>ST_DWithin on the sphere (use_spheroid false, as the haversine) finds the fastest mode's reach through the GiST index.</summary>
    private string PostGisQuery() => Ranked(string.Create(CultureInfo.InvariantCulture, $"""
        SELECT id, {Eta("ST_Distance(geog, q.place, false)")} AS eta
        FROM {_table}, (SELECT ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography AS place) q
        WHERE on_duty AND ST_DWithin(geog, q.place, {Enum.GetValues<TravelMode>().Max(_rule.ReachM) + 1:R}, false)
          AND skills & $3 <> 0 AND reported_at >= $4 AND load < capacity
        """));
}
