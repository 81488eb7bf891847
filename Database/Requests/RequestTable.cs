using System.Data;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using Outreach.Dispatch;
using Outreach.Model;
using static Outreach.Database.ColumnReads;

namespace Outreach.Database;

/// <summary>A request's stored state as JSON and the tag that guards it; <see cref="Legacy"/>: a row from before the state moved here.</summary>
public sealed record StoredRequestRow(string? StateJson, long? ETag, bool Legacy);

/// <summary>One open offer as <c>outreach_offers</c> keeps it.</summary>
public readonly record struct OpenOffer(Guid VolunteerId, double EtaMinutes, double DistanceM, DateTimeOffset At);

/// <summary>
/// How a save changes <c>outreach_offers</c>: the rows of <see cref="Withdrawn"/> go (found by the primary key, volunteer
/// and request), <see cref="Added"/> come.
/// </summary>
public sealed record OfferChange(IReadOnlyList<Guid> Withdrawn, IReadOnlyList<OpenOffer> Added);

/// <summary>
/// What a save did: whether the row was written, and which of the volunteers it just offered the request to have a
/// push device (read in the same statement, so the offer's push needs no query of its own).
/// </summary>
public sealed record RequestSaved(bool Saved, IReadOnlySet<Guid> OfferedWithDevices);

/// <summary>A request's <c>status</c> and <c>escalated</c> as its ledger columns say.</summary>
public readonly record struct LedgerStatus(string Status, bool Escalated);

/// <summary>
/// The one owner of <c>outreach_requests</c> (and of <c>outreach_offers</c>, the open offers kept beside it). The
/// request grains write through it (<see cref="SaveAsync"/>, via the grains' <c>RequestStore</c>, which turns the
/// grain's state into JSON); the web reads through it (<see cref="ListAsync"/>, <see cref="OffersForAsync"/>,
/// <see cref="FiguresAsync"/>); the chaos suite's checks read it back (<see cref="LedgerStatusAsync"/>,
/// <see cref="StatesAsync"/>). The service records written with a completion are <see cref="ServiceRecordTable"/>'s
/// statement, joined to the save. No other code has SQL against these tables. Personal data (address, phone,
/// description) is in the state only, never in the ledger's columns.
/// </summary>
public sealed class RequestTable(NpgsqlDataSource database)
{
    /// <summary>The <c>status</c> filter for open requests: offered, claimed, en route or on site.</summary>
    public const string Open = "open";

    /// <summary>The <c>status</c> filter for every request.</summary>
    public const string All = "all";

    /// <summary>The status filter of completed requests still waiting for their follow-up call (回访).</summary>
    public const string FollowUp = "followup";

    /// <summary>The most rows one list returns.</summary>
    public const int MaxRows = 500;

    /// <summary>
    /// The ledger's columns, each with the value it takes from a request: the one list the insert, the update, the
    /// parameters and the list's select are made from, so a column and its value cannot drift apart.
    /// <c>recorded_at</c> is the server's <c>now()</c>.
    /// </summary>
    private static readonly (string Column, Func<HelpRequestView, NpgsqlParameter> Value)[] Ledger =
    [
        ("id", r => new NpgsqlParameter<Guid> { TypedValue = r.Id }),
        ("version", r => new NpgsqlParameter<int> { TypedValue = r.Version }),
        ("status", r => new NpgsqlParameter<string> { TypedValue = r.Status.ToString() }),
        ("escalated", r => new NpgsqlParameter<bool> { TypedValue = r.Escalated }),
        ("category", r => new NpgsqlParameter<string> { TypedValue = r.Category.ToString() }),
        ("urgency", r => new NpgsqlParameter<string> { TypedValue = r.Urgency.ToString() }),
        ("lat", r => new NpgsqlParameter<double> { TypedValue = r.Position.Lat }),
        ("lon", r => new NpgsqlParameter<double> { TypedValue = r.Position.Lon }),
        ("station_id", r => OrDbNull(NpgsqlDbType.Uuid, r.StationId)),
        ("worker_id", r => OrDbNull(NpgsqlDbType.Uuid, r.WorkerId)),
        ("created_by", r => new NpgsqlParameter<Guid> { TypedValue = r.CreatedBy }),
        ("assigned_volunteer_id", r => OrDbNull(NpgsqlDbType.Uuid, r.AssignedVolunteerId)),
        ("offered_count", r => new NpgsqlParameter<int> { TypedValue = r.OfferedCount }),
        ("circle_minutes", r => new NpgsqlParameter<double> { TypedValue = r.CircleMinutes }),
        ("created_at", r => new NpgsqlParameter<DateTime> { TypedValue = r.CreatedAt.UtcDateTime }),
        ("claimed_at", r => Time(r.ClaimedAt)),
        ("en_route_at", r => Time(r.EnRouteAt)),
        ("on_site_at", r => Time(r.OnSiteAt)),
        ("completed_at", r => Time(r.CompletedAt)),
        ("closed_at", r => Time(r.ClosedAt)),
        ("deadline_at", r => Time(r.DeadlineAt)),
        ("followup_satisfied", r => OrDbNull(NpgsqlDbType.Boolean, r.FollowUp?.Satisfied)),
        ("followup_rating", r => OrDbNull(NpgsqlDbType.Integer, r.FollowUp?.Rating)),
    ];

    private static readonly string LedgerColumns = string.Join(", ", Ledger.Select(c => c.Column)) + ", recorded_at";

    private static readonly string LedgerValues = string.Join(", ", Ledger.Select((_, i) => $"${i + 1}")) + ", now()";

    private static readonly string LedgerUpdates =
        string.Join(", ", Ledger.Skip(1).Select(c => $"{c.Column} = EXCLUDED.{c.Column}")) + ", recorded_at = EXCLUDED.recorded_at";

    // The parameters after the ledger's: the state, its new tag, the tag expected, then the open offers' columns.
    private static readonly int StateParameter = Ledger.Length + 1;

    /// <summary>The parameter (1-based) that carries a ledger column's value.</summary>
    private static int Column(string name) => Array.FindIndex(Ledger, c => c.Column == name) + 1;

    private const string LoadSql = "SELECT state, state_etag FROM outreach_requests WHERE id = $1";

    // The open statuses (Lifecycle.Open); the same list as the partial indexes ix_outreach_requests_open_page and
    // ix_outreach_requests_deadline (LifecycleTests).
    private static readonly string OpenCondition = StatusIn(Lifecycle.Open);

    // The assigned statuses (Lifecycle.Assigned); the same list as the partial index ix_outreach_requests_assigned_open (LifecycleTests).
    private static readonly string AssignedCondition = StatusIn(Lifecycle.Assigned);

    private static string StatusIn(IEnumerable<RequestStatus> statuses) => $"status IN ({string.Join(", ", statuses.Select(s => $"'{s}'"))})";

    private const string CountByStatusSql =
        "SELECT status AS word, count(*)::int AS n FROM outreach_requests WHERE created_at >= $1 GROUP BY status";

    private const string CountByCategorySql =
        "SELECT category AS word, count(*)::int AS n FROM outreach_requests WHERE created_at >= $1 GROUP BY category";

    private const string FiguresSql = """
        SELECT count(*) FILTER (WHERE escalated)::int AS escalated,
               count(claim_minutes)::int AS claimed,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY claim_minutes) AS claim_p50,
               percentile_cont(0.9) WITHIN GROUP (ORDER BY claim_minutes) AS claim_p90,
               count(arrival_minutes)::int AS arrived,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY arrival_minutes) AS arrival_p50,
               percentile_cont(0.9) WITHIN GROUP (ORDER BY arrival_minutes) AS arrival_p90,
               count(*) FILTER (WHERE arrival_minutes <= $2)::int AS on_time
        FROM (SELECT escalated,
                     (extract(epoch FROM claimed_at - created_at) / 60)::double precision AS claim_minutes,
                     (extract(epoch FROM on_site_at - created_at) / 60)::double precision AS arrival_minutes
              FROM outreach_requests
              WHERE created_at >= $1) AS r
        """;

    // $1 = first hour, $2 = last hour (both hour starts), $3 = end of the last hour.
    private const string HourlySql = """
        WITH hours AS (SELECT generate_series($1::timestamptz, $2::timestamptz, interval '1 hour') AS hour),
             created AS (SELECT date_bin(interval '1 hour', created_at, $1::timestamptz) AS hour, count(*)::int AS n
                         FROM outreach_requests WHERE created_at >= $1 AND created_at < $3 GROUP BY 1),
             completed AS (SELECT date_bin(interval '1 hour', completed_at, $1::timestamptz) AS hour, count(*)::int AS n
                           FROM outreach_requests WHERE completed_at >= $1 AND completed_at < $3 GROUP BY 1)
        SELECT hours.hour, coalesce(created.n, 0) AS created, coalesce(completed.n, 0) AS completed
        FROM hours
        LEFT JOIN created ON created.hour = hours.hour
        LEFT JOIN completed ON completed.hour = hours.hour
        ORDER BY hours.hour
        """;

    // The offers index is written with the request's state in one statement, so it lists exactly the open offers, each
    // with the request's columns a page shows (0021): one range of the primary key, whatever the planner knows.
    internal const string OffersSql = """
        SELECT request_id, category, urgency, eta_minutes, distance_m, lat, lon, created_at
        FROM outreach_offers
        WHERE volunteer_id = $1
        ORDER BY created_at DESC
        """;

    /// <summary>Whether <paramref name="status"/> is a word <see cref="ListAsync"/> understands.</summary>
    /// <remarks>Exactly as written (no case folding), like every word of the API.</remarks>
    public static bool IsStatusFilter(string status) => status is Open or All or FollowUp;

    /// <summary>Reads a request's state; no state when there is none (or only a ledger row from before 0009).</summary>
    public async Task<StoredRequestRow> LoadAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(LoadSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return new StoredRequestRow(null, null, Legacy: false);
        var (stateColumn, etagColumn) = (reader.GetOrdinal("state"), reader.GetOrdinal("state_etag"));
        if (await reader.IsDBNullAsync(stateColumn, cancellationToken))
            return new StoredRequestRow(null, null, Legacy: true);
        return new StoredRequestRow(reader.GetString(stateColumn), reader.IsDBNull(etagColumn) ? null : reader.GetInt64(etagColumn), Legacy: false);
    }

    /// <summary>
    /// Stores a request's state (<paramref name="stateJson"/>), its ledger columns (from <paramref name="view"/>) and
    /// its open offers in one statement (one round trip, one transaction), and only if the row still carries
    /// <paramref name="expectedETag"/> (null: a new request, or a row from before 0009) — or, with
    /// <paramref name="insertOnly"/>, only if there is no row yet. Not saved when someone else wrote the row since it
    /// was read (or, insert-only, when it was there): nothing was written. <paramref name="audit"/>: a row of
    /// <c>outreach_audit</c> written by the same statement, only if the request's row is (<see cref="AuditTable"/>).
    /// </summary>
    public async Task<RequestSaved> SaveAsync(HelpRequestView view, ReadOnlyMemory<byte> stateJson, long newETag, long? expectedETag, OfferChange? offers,
        IReadOnlyList<ServiceRow>? services = null, bool insertOnly = false, AuditWrite? audit = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(view);
        var withdraws = offers is { Withdrawn.Count: > 0 };
        var adds = offers is { Added.Count: > 0 };
        var (state, newTag, expectedTag) = (StateParameter, StateParameter + 1, StateParameter + 2);
        var withdrawn = expectedTag + 1;
        var offered = withdrawn + (withdraws ? 1 : 0);
        var served = offered + (adds ? 4 : 0);
        var audited = served + (services is not null ? ServiceRecordTable.SavedWithRequestParameters : 0);
        var sql = $"""
            WITH saved AS (
                INSERT INTO outreach_requests ({LedgerColumns}, state, state_etag)
                VALUES ({LedgerValues}, ${state}::json, ${newTag})
                {(insertOnly ? "ON CONFLICT (id) DO NOTHING" : $"""
                ON CONFLICT (id) DO UPDATE SET {LedgerUpdates}, state = EXCLUDED.state, state_etag = EXCLUDED.state_etag
                WHERE outreach_requests.state_etag IS NOT DISTINCT FROM ${expectedTag}
                """)}
                RETURNING id
            ){(withdraws ? $"""
            , withdrawn AS (
                DELETE FROM outreach_offers
                WHERE volunteer_id = ANY(${withdrawn}) AND request_id = $1 AND EXISTS (SELECT 1 FROM saved)
            )
            """ : "")}{(adds ? $"""
            , offered AS (
                INSERT INTO outreach_offers (volunteer_id, request_id, eta_minutes, distance_m, offered_at, category, urgency, lat, lon, created_at)
                SELECT o.v, $1, o.e, o.d, o.t, ${Column("category")}, ${Column("urgency")}, ${Column("lat")}, ${Column("lon")}, ${Column("created_at")}
                FROM unnest(${offered}, ${offered + 1}, ${offered + 2}, ${offered + 3}) AS o(v, e, d, t)
                WHERE EXISTS (SELECT 1 FROM saved)
                ON CONFLICT (volunteer_id, request_id) DO NOTHING
            )
            """ : "")}{(services is not null ? ServiceRecordTable.SavedWithRequestSql(served, Column("station_id"), Column("category"), Column("created_at")) : "")}{(audit is not null ? AuditTable.SavedWithRequestSql(audited) : "")}
            SELECT count(*) AS saved, {(adds ? $"ARRAY(SELECT DISTINCT volunteer_id FROM outreach_push_subscriptions WHERE volunteer_id = ANY(${offered}))" : "NULL::uuid[]")} AS devices
            FROM saved
            """;
        await using var command = database.CreateCommand(sql);
        var p = command.Parameters;
        AddLedgerParameters(p, view);
        // UTF-8 as serialized: no string of twice its size on the way (a state is ≈ 10 KB while it holds its offers).
        p.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { NpgsqlDbType = NpgsqlDbType.Json, TypedValue = stateJson });
        p.Add(new NpgsqlParameter<long> { TypedValue = newETag });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = expectedETag.HasValue ? expectedETag.Value : DBNull.Value });
        if (withdraws)
            p.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. offers!.Withdrawn] });
        if (adds)
        {
            p.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. offers!.Added.Select(o => o.VolunteerId)] });
            p.Add(new NpgsqlParameter<double[]> { TypedValue = [.. offers.Added.Select(o => o.EtaMinutes)] });
            p.Add(new NpgsqlParameter<double[]> { TypedValue = [.. offers.Added.Select(o => o.DistanceM)] });
            p.Add(new NpgsqlParameter<DateTime[]> { TypedValue = [.. offers.Added.Select(o => o.At.UtcDateTime)] });
        }
        if (services is not null)
            ServiceRecordTable.AddSavedWithRequestParameters(p, services);
        if (audit is not null)
            AuditTable.AddSavedWithRequestParameters(p, audit with { SubjectId = view.Id }); // its subject is the request saved
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var saved = reader.GetInt64(0) == 1;
        return new RequestSaved(saved, saved && !reader.IsDBNull(1) ? new HashSet<Guid>(reader.GetFieldValue<Guid[]>(1)) : NoDevices);
    }

    private static readonly IReadOnlySet<Guid> NoDevices = new HashSet<Guid>();

    /// <summary>Writes only a ledger row (never older over newer); for importing rows and for tests of the lists.</summary>
    public async Task RecordLedgerRowAsync(HelpRequestView view, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(view);
        await using var command = database.CreateCommand($"""
            INSERT INTO outreach_requests ({LedgerColumns}) VALUES ({LedgerValues})
            ON CONFLICT (id) DO UPDATE SET {LedgerUpdates}
            WHERE outreach_requests.version <= EXCLUDED.version
            """);
        AddLedgerParameters(command.Parameters, view);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // Current jobs by the request's own row (indexed: ix_outreach_requests_assigned_open).
    internal static readonly string AssignedSql = $"""
        SELECT id FROM outreach_requests
        WHERE assigned_volunteer_id = $1 AND {AssignedCondition}
        ORDER BY claimed_at, id
        """;

    /// <summary>
    /// The ids of the open requests assigned to a volunteer, as their own rows say (written with the request's state,
    /// so a claim acknowledged is here even if the volunteer grain never heard of it): one indexed read.
    /// </summary>
    public async Task<Guid[]> AssignedToAsync(Guid volunteerId, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(AssignedSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = volunteerId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(cancellationToken))
            ids.Add(reader.GetGuid("id"));
        return [.. ids];
    }

    // Open requests oldest first after a cursor (the id of the last one read), by (created_at, id): ix_outreach_requests_open_page.
    private static readonly string OpenPageSql = $"""
        SELECT id FROM outreach_requests
        WHERE {OpenCondition}
          AND ($1::uuid IS NULL OR (created_at, id) > (SELECT created_at, id FROM outreach_requests WHERE id = $1))
        ORDER BY created_at, id
        LIMIT $2
        """;

    /// <summary>
    /// One page of the open requests' ids, oldest first, after <paramref name="after"/> (the last id of the previous
    /// page; null for the first), at most <paramref name="limit"/> (≤ 501): every open request is on some page, however many there are.
    /// </summary>
    public async Task<Guid[]> OpenPageAsync(Guid? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var command = database.CreateCommand(OpenPageSql);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = after.HasValue ? after.Value : DBNull.Value });
        // One more than a list's most: the caller's way to know there is a next page.
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Math.Min(limit, MaxRows + 1) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(cancellationToken))
            ids.Add(reader.GetGuid("id"));
        return [.. ids];
    }

    // Open requests whose deadline has run out, earliest first, in one share of the silos' (ix_outreach_requests_deadline).
    // The share is a hash of the id: each silo sweeps its own, and together they sweep every one.
    private static readonly string DueSql = $"""
        SELECT id FROM outreach_requests
        WHERE {OpenCondition} AND deadline_at <= $1
          AND (hashtext(id::text) & 2147483647) % $2 = $3
        ORDER BY deadline_at
        LIMIT $4
        """;

    /// <summary>
    /// The ids of open requests whose stored deadline is at or before <paramref name="now"/>, earliest first, at most
    /// <paramref name="limit"/>, of share <paramref name="share"/> of <paramref name="shares"/> (0 of 1: all of them).
    /// </summary>
    public async Task<Guid[]> DueAsync(DateTimeOffset now, int shares, int share, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shares, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(share);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(share, shares);
        await using var command = database.CreateCommand(DueSql);
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = shares });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = share });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(cancellationToken))
            ids.Add(reader.GetGuid(0));
        return [.. ids];
    }

    /// <summary>The ledger's status and escalation of each of <paramref name="ids"/> that has a row (for checks that read the system back).</summary>
    public async Task<Dictionary<Guid, LedgerStatus>> LedgerStatusAsync(Guid[] ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        await using var command = database.CreateCommand("SELECT id, status, escalated FROM outreach_requests WHERE id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var (id, status, escalated) = (reader.GetOrdinal("id"), reader.GetOrdinal("status"), reader.GetOrdinal("escalated"));
        var rows = new Dictionary<Guid, LedgerStatus>();
        while (await reader.ReadAsync(cancellationToken))
            rows[reader.GetGuid(id)] = new LedgerStatus(reader.GetString(status), reader.GetBoolean(escalated));
        return rows;
    }

    /// <summary>
    /// Every stored state (JSON, as the grains' <c>RequestStore</c> wrote it) by request id: for checks that read the
    /// system back, never for the running system.
    /// </summary>
    public async Task<Dictionary<Guid, string>> StatesAsync(CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("SELECT id, state::text AS state FROM outreach_requests WHERE state IS NOT NULL");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var (id, state) = (reader.GetOrdinal("id"), reader.GetOrdinal("state"));
        var states = new Dictionary<Guid, string>();
        while (await reader.ReadAsync(cancellationToken))
            states[reader.GetGuid(id)] = reader.GetString(state);
        return states;
    }

    /// <summary>The offers open to a volunteer, newest first: one indexed read, whatever the number of open requests.</summary>
    public async Task<OfferView[]> OffersForAsync(Guid volunteerId, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(OffersSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = volunteerId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ReadOffersAsync(reader, cancellationToken);
    }

    /// <summary>
    /// What a volunteer's page reloads on a reconnect: the offers open to them (as <see cref="OffersForAsync"/>) and the
    /// ids of their current jobs (as <see cref="AssignedToAsync"/>), in one round trip.
    /// </summary>
    public async Task<(OfferView[] Offers, Guid[] Assigned)> WorkOfAsync(Guid volunteerId, CancellationToken cancellationToken = default)
    {
        await using var batch = database.CreateBatch();
        foreach (var sql in (string[])[OffersSql, AssignedSql])
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = volunteerId });
            batch.BatchCommands.Add(command);
        }
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var offers = await ReadOffersAsync(reader, cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(cancellationToken))
            ids.Add(reader.GetGuid(0));
        return (offers, [.. ids]);
    }

    private static async Task<OfferView[]> ReadOffersAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var offers = new List<OfferView>();
        while (await reader.ReadAsync(cancellationToken))
        {
            offers.Add(new OfferView(
                RequestId: reader.GetGuid("request_id"),
                Category: Enum.Parse<HelpCategory>(reader.GetString("category")),
                Urgency: Enum.Parse<Urgency>(reader.GetString("urgency")),
                EtaMinutes: reader.GetDouble("eta_minutes"),
                DistanceM: reader.GetDouble("distance_m"),
                ApproxPosition: GeoMath.Approximate(new GeoPoint(reader.GetDouble("lat"), reader.GetDouble("lon"))),
                CreatedAt: new DateTimeOffset(reader.GetDateTime("created_at"), TimeSpan.Zero),
                Status: RequestStatus.Offered));
        }
        return [.. offers];
    }

    /// <summary>Requests newest first matching the filter; at most <paramref name="limit"/> (≤ 500).</summary>
    public async Task<RequestRow[]> ListAsync(RequestFilter filter, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var status = filter.Status;
        if (!IsStatusFilter(status))
            throw new ArgumentException($"Unknown status filter '{status}'; expected '{Open}', '{All}' or '{FollowUp}'.", nameof(filter));
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);

        await using var command = database.CreateCommand();
        var sql = new StringBuilder($"SELECT {LedgerColumns} FROM outreach_requests WHERE true");
        if (status == Open)
            sql.Append(" AND ").Append(OpenCondition);
        if (status == FollowUp)
            sql.Append(" AND status = 'Completed' AND followup_satisfied IS NULL");
        if (filter.WorkerId is { } worker)
        {
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = worker });
            sql.Append(" AND worker_id = $").Append(command.Parameters.Count);
        }
        if (filter.Ids is { } ids)
        {
            command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids });
            sql.Append(" AND id = ANY($").Append(command.Parameters.Count).Append(')');
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

    /// <summary>
    /// The figures over the requests created since <paramref name="since"/> (arrivals within
    /// <paramref name="targetMinutes"/> counted as on time), with the hourly chart of the 24 hours up to <paramref name="now"/>.
    /// </summary>
    public async Task<RequestFigures> FiguresAsync(DateTimeOffset since, DateTimeOffset now, double targetMinutes,
        CancellationToken cancellationToken = default)
    {
        var lastHour = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero);
        var firstHour = lastHour.AddHours(-23);

        await using var batch = database.CreateBatch();
        batch.BatchCommands.Add(Command(CountByStatusSql, Time(since)));
        batch.BatchCommands.Add(Command(CountByCategorySql, Time(since)));
        batch.BatchCommands.Add(Command(FiguresSql, Time(since), new NpgsqlParameter<double> { TypedValue = targetMinutes }));
        batch.BatchCommands.Add(Command(HourlySql, Time(firstHour), Time(lastHour), Time(lastHour.AddHours(1))));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);

        var byStatus = await ReadCountsAsync(reader, Enum.GetNames<RequestStatus>(), cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var byCategory = await ReadCountsAsync(reader, Enum.GetNames<HelpCategory>(), cancellationToken);
        await reader.NextResultAsync(cancellationToken);

        await reader.ReadAsync(cancellationToken);
        var escalated = reader.GetInt32("escalated");
        var toClaim = new MinutesFigures(reader.GetInt32("claimed"), reader.OrNull<double>("claim_p50"), reader.OrNull<double>("claim_p90"));
        var toArrival = new MinutesFigures(reader.GetInt32("arrived"), reader.OrNull<double>("arrival_p50"), reader.OrNull<double>("arrival_p90"));
        var onTime = reader.GetInt32("on_time");
        await reader.NextResultAsync(cancellationToken);

        var hours = new List<HourlyPoint>(24);
        while (await reader.ReadAsync(cancellationToken))
            hours.Add(new HourlyPoint(reader.GetFieldValue<DateTimeOffset>("hour"), reader.GetInt32("created"), reader.GetInt32("completed")));

        return new RequestFigures(byStatus, byCategory, escalated, toClaim, toArrival, onTime, hours);
    }

    /// <summary>Counts (columns <c>word</c>, <c>n</c>) keyed by every known word (zero when absent), in declaration order, then any other word found.</summary>
    public static async Task<Dictionary<string, int>> ReadCountsAsync(NpgsqlDataReader reader, string[] known,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(known);
        var counts = known.ToDictionary(name => name, _ => 0, StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
            counts[reader.GetString("word")] = reader.GetInt32("n");
        return counts;
    }

    private static void AddLedgerParameters(NpgsqlParameterCollection p, HelpRequestView request)
    {
        foreach (var (_, value) in Ledger)
            p.Add(value(request));
    }

    private static RequestRow ReadRow(NpgsqlDataReader r) => new()
    {
        Id = r.GetGuid("id"),
        Version = r.GetInt32("version"),
        Status = r.GetString("status"),
        Escalated = r.GetBoolean("escalated"),
        Category = r.GetString("category"),
        Urgency = r.GetString("urgency"),
        Position = new GeoPoint(r.GetDouble("lat"), r.GetDouble("lon")),
        StationId = r.OrNull<Guid>("station_id"),
        WorkerId = r.OrNull<Guid>("worker_id"),
        CreatedBy = r.GetGuid("created_by"),
        AssignedVolunteerId = r.OrNull<Guid>("assigned_volunteer_id"),
        OfferedCount = r.GetInt32("offered_count"),
        CircleMinutes = r.GetDouble("circle_minutes"),
        CreatedAt = r.GetFieldValue<DateTimeOffset>("created_at"),
        ClaimedAt = r.OrNull<DateTimeOffset>("claimed_at"),
        EnRouteAt = r.OrNull<DateTimeOffset>("en_route_at"),
        OnSiteAt = r.OrNull<DateTimeOffset>("on_site_at"),
        CompletedAt = r.OrNull<DateTimeOffset>("completed_at"),
        ClosedAt = r.OrNull<DateTimeOffset>("closed_at"),
        DeadlineAt = r.OrNull<DateTimeOffset>("deadline_at"),
        FollowUpSatisfied = r.OrNull<bool>("followup_satisfied"),
        FollowUpRating = r.OrNull<int>("followup_rating"),
        RecordedAt = r.GetFieldValue<DateTimeOffset>("recorded_at"),
    };
}
