using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;
using NpgsqlTypes;
using Outreach.Dispatch;
using Outreach.Model;

namespace Outreach.Grains.Dispatch;

/// <summary>A request's stored state and the tag that guards it; <see cref="Legacy"/>: a row from before the state moved here.</summary>
public sealed record StoredRequest(HelpRequestState? State, long? ETag, bool Legacy);

/// <summary>
/// Owns <c>outreach_requests</c>, <c>outreach_offers</c> and the grain's side of <c>outreach_service_records</c>.
/// <see cref="SaveAsync"/> writes a request's whole state, its ledger columns, its open offers and its service records
/// in one statement (one round trip, one transaction), and only if the row
/// still carries the tag the caller read: so the ledger and the offers can never disagree with the state, and a
/// stale activation cannot overwrite a newer one. Personal data (address, phone, description) is in the state
/// only, never in the ledger's columns.
/// </summary>
public sealed class RequestStore(NpgsqlDataSource database)
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.General)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private const string LedgerColumns = """
        id, version, status, escalated, category, urgency, lat, lon, station_id, worker_id, created_by,
        assigned_volunteer_id, offered_count, circle_minutes, created_at, claimed_at, en_route_at, on_site_at,
        completed_at, closed_at, deadline_at, followup_satisfied, followup_rating, recorded_at
        """;

    private const string LedgerValues = "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, now()";

    private const string LedgerUpdates = """
        version = EXCLUDED.version, status = EXCLUDED.status, escalated = EXCLUDED.escalated,
        category = EXCLUDED.category, urgency = EXCLUDED.urgency, lat = EXCLUDED.lat, lon = EXCLUDED.lon,
        station_id = EXCLUDED.station_id, worker_id = EXCLUDED.worker_id, created_by = EXCLUDED.created_by,
        assigned_volunteer_id = EXCLUDED.assigned_volunteer_id, offered_count = EXCLUDED.offered_count,
        circle_minutes = EXCLUDED.circle_minutes, created_at = EXCLUDED.created_at, claimed_at = EXCLUDED.claimed_at,
        en_route_at = EXCLUDED.en_route_at, on_site_at = EXCLUDED.on_site_at, completed_at = EXCLUDED.completed_at,
        closed_at = EXCLUDED.closed_at, deadline_at = EXCLUDED.deadline_at,
        followup_satisfied = EXCLUDED.followup_satisfied, followup_rating = EXCLUDED.followup_rating,
        recorded_at = EXCLUDED.recorded_at
        """;

    private const string LoadSql = "SELECT state, state_etag FROM outreach_requests WHERE id = $1";

    /// <summary>Reads a request's state; null state when there is none (or only a ledger row from before 0009).</summary>
    public async Task<StoredRequest> LoadAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(LoadSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return new StoredRequest(null, null, Legacy: false);
        if (await reader.IsDBNullAsync(0, cancellationToken))
            return new StoredRequest(null, null, Legacy: true);
        var state = JsonSerializer.Deserialize<HelpRequestState>(reader.GetString(0), _json)
            ?? throw new InvalidDataException($"Request {id}: stored state is null.");
        return new StoredRequest(state, reader.IsDBNull(1) ? null : reader.GetInt64(1), Legacy: false);
    }

    /// <summary>
    /// Stores <paramref name="next"/> (with its ledger columns and open offers) if the row still has
    /// <paramref name="expectedETag"/> (null: a new request, or a row from before 0009); returns the new tag.
    /// </summary>
    /// <exception cref="RequestConflictException">Someone else wrote the row since it was read.</exception>
    public async Task<long> SaveAsync(Guid id, HelpRequestState previous, HelpRequestState next, long? expectedETag,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(next);
        var view = HelpRequestViews.ToView(id, next);
        var newETag = (expectedETag ?? 0) + 1;
        var wasOffered = previous.Status == RequestStatus.Offered && previous.Offers.Count > 0;
        var isOffered = next.Status == RequestStatus.Offered && next.Offers.Count > 0;
        var offersChanged = wasOffered != isOffered
            || (isOffered && (previous.Offers.Count != next.Offers.Count || next.Offers.Keys.Any(v => !previous.Offers.ContainsKey(v))));

        // A completion adds a service record and a follow-up rates it: written with the state, in the same statement.
        var servicesChanged = !previous.Services.SequenceEqual(next.Services);
        var first = 27 + (offersChanged ? (isOffered ? 4 : 1) : 0);

        var sql = $"""
            WITH saved AS (
                INSERT INTO outreach_requests ({LedgerColumns}, state, state_etag)
                VALUES ({LedgerValues}, $24::json, $25)
                ON CONFLICT (id) DO UPDATE SET {LedgerUpdates}, state = EXCLUDED.state, state_etag = EXCLUDED.state_etag
                WHERE outreach_requests.state_etag IS NOT DISTINCT FROM $26
                RETURNING id
            ){(offersChanged && wasOffered ? """
            , withdrawn AS (
                DELETE FROM outreach_offers
                WHERE request_id = $1 AND NOT (volunteer_id = ANY($27)) AND EXISTS (SELECT 1 FROM saved)
            )
            """ : "")}{(offersChanged && isOffered ? """
            , offered AS (
                INSERT INTO outreach_offers (volunteer_id, request_id, eta_minutes, distance_m, offered_at)
                SELECT o.v, $1, o.e, o.d, o.t FROM unnest($27, $28, $29, $30) AS o(v, e, d, t)
                WHERE EXISTS (SELECT 1 FROM saved)
                ON CONFLICT (volunteer_id, request_id) DO NOTHING
            )
            """ : "")}{(servicesChanged ? $$"""
            , served AS (
                INSERT INTO outreach_service_records (request_id, seq, volunteer_id, volunteer_name, station_id, category,
                    opened_at, started_at, completed_at, minutes, satisfied, rating)
                SELECT $1, s.seq, s.v, s.n, $9, $5, $15, s.st, s.ct, extract(epoch FROM s.ct - s.st) / 60, s.sat, s.rat
                FROM unnest(${{first}}::integer[], ${{first + 1}}::uuid[], ${{first + 2}}::text[], ${{first + 3}}::timestamptz[],
                            ${{first + 4}}::timestamptz[], ${{first + 5}}::boolean[], ${{first + 6}}::integer[])
                    AS s(seq, v, n, st, ct, sat, rat)
                WHERE EXISTS (SELECT 1 FROM saved)
                ON CONFLICT (request_id, seq) DO UPDATE SET satisfied = EXCLUDED.satisfied, rating = EXCLUDED.rating
            )
            """ : "")}
            SELECT count(*) FROM saved
            """;
        await using var command = database.CreateCommand(sql);
        var p = command.Parameters;
        AddLedgerParameters(p, view);
        p.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(next, _json) });
        p.Add(new NpgsqlParameter<long> { TypedValue = newETag });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = expectedETag.HasValue ? expectedETag.Value : DBNull.Value });
        if (offersChanged)
        {
            var offers = isOffered ? next.Offers.ToArray() : [];
            p.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. offers.Select(o => o.Key)] });
            if (isOffered)
            {
                p.Add(new NpgsqlParameter<double[]> { TypedValue = [.. offers.Select(o => o.Value.EtaMinutes)] });
                p.Add(new NpgsqlParameter<double[]> { TypedValue = [.. offers.Select(o => o.Value.DistanceM)] });
                p.Add(new NpgsqlParameter<DateTime[]> { TypedValue = [.. offers.Select(o => o.Value.At.UtcDateTime)] });
            }
        }
        if (servicesChanged)
        {
            var services = next.Services;
            p.Add(new NpgsqlParameter<int[]> { TypedValue = [.. services.Select(e => e.Seq)] });
            p.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. services.Select(e => e.VolunteerId)] });
            p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. services.Select(e => e.VolunteerName)] });
            p.Add(new NpgsqlParameter<DateTime[]> { TypedValue = [.. services.Select(e => e.StartedAt.UtcDateTime)] });
            p.Add(new NpgsqlParameter<DateTime[]> { TypedValue = [.. services.Select(e => e.CompletedAt.UtcDateTime)] });
            p.Add(new NpgsqlParameter<bool?[]> { TypedValue = [.. services.Select(e => e.Satisfied)] });
            p.Add(new NpgsqlParameter<int?[]> { TypedValue = [.. services.Select(e => e.Rating)] });
        }
        var saved = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        if (saved != 1)
            throw new RequestConflictException(id);
        return newETag;
    }

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

    private static void AddLedgerParameters(NpgsqlParameterCollection p, HelpRequestView request)
    {
        p.Add(new NpgsqlParameter<Guid> { TypedValue = request.Id });
        p.Add(new NpgsqlParameter<int> { TypedValue = request.Version });
        p.Add(new NpgsqlParameter<string> { TypedValue = request.Status.ToString() });
        p.Add(new NpgsqlParameter<bool> { TypedValue = request.Escalated });
        p.Add(new NpgsqlParameter<string> { TypedValue = request.Category.ToString() });
        p.Add(new NpgsqlParameter<string> { TypedValue = request.Urgency.ToString() });
        p.Add(new NpgsqlParameter<double> { TypedValue = request.Position.Lat });
        p.Add(new NpgsqlParameter<double> { TypedValue = request.Position.Lon });
        p.Add(Nullable(NpgsqlDbType.Uuid, request.StationId));
        p.Add(Nullable(NpgsqlDbType.Uuid, request.WorkerId));
        p.Add(new NpgsqlParameter<Guid> { TypedValue = request.CreatedBy });
        p.Add(Nullable(NpgsqlDbType.Uuid, request.AssignedVolunteerId));
        p.Add(new NpgsqlParameter<int> { TypedValue = request.OfferedCount });
        p.Add(new NpgsqlParameter<double> { TypedValue = request.CircleMinutes });
        p.Add(new NpgsqlParameter<DateTime> { TypedValue = request.CreatedAt.UtcDateTime });
        p.Add(Time(request.ClaimedAt));
        p.Add(Time(request.EnRouteAt));
        p.Add(Time(request.OnSiteAt));
        p.Add(Time(request.CompletedAt));
        p.Add(Time(request.ClosedAt));
        p.Add(Time(request.DeadlineAt));
        p.Add(Nullable(NpgsqlDbType.Boolean, request.FollowUp?.Satisfied));
        p.Add(Nullable(NpgsqlDbType.Integer, request.FollowUp?.Rating));
    }

    private static NpgsqlParameter Time(DateTimeOffset? value) =>
        Nullable(NpgsqlDbType.TimestampTz, value?.UtcDateTime);

    private static NpgsqlParameter Nullable<T>(NpgsqlDbType type, T? value) where T : struct =>
        new() { NpgsqlDbType = type, Value = value.HasValue ? value.Value : DBNull.Value };
}

/// <summary>A request's row was written by someone else since this activation read it: the activation must not write again.</summary>
public sealed class RequestConflictException(Guid requestId)
    : Exception($"Request {requestId} was changed by another activation since it was read.");
