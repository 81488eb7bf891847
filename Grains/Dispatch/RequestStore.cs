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
/// Owns <c>outreach_requests</c> and <c>outreach_offers</c>. <see cref="SaveAsync"/> writes a request's whole state,
/// its ledger columns and its open offers in one statement (one round trip, one transaction), and only if the row
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

    /// <summary>
    /// The ledger's columns, each with the value it takes from a request: the one list the insert, the update and
    /// the parameters are made from, so a column and its value cannot drift apart. <c>recorded_at</c> is the
    /// server's <c>now()</c>.
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
        ("station_id", r => Nullable(NpgsqlDbType.Uuid, r.StationId)),
        ("worker_id", r => Nullable(NpgsqlDbType.Uuid, r.WorkerId)),
        ("created_by", r => new NpgsqlParameter<Guid> { TypedValue = r.CreatedBy }),
        ("assigned_volunteer_id", r => Nullable(NpgsqlDbType.Uuid, r.AssignedVolunteerId)),
        ("offered_count", r => new NpgsqlParameter<int> { TypedValue = r.OfferedCount }),
        ("circle_minutes", r => new NpgsqlParameter<double> { TypedValue = r.CircleMinutes }),
        ("created_at", r => new NpgsqlParameter<DateTime> { TypedValue = r.CreatedAt.UtcDateTime }),
        ("claimed_at", r => Time(r.ClaimedAt)),
        ("en_route_at", r => Time(r.EnRouteAt)),
        ("on_site_at", r => Time(r.OnSiteAt)),
        ("completed_at", r => Time(r.CompletedAt)),
        ("closed_at", r => Time(r.ClosedAt)),
        ("deadline_at", r => Time(r.DeadlineAt)),
        ("followup_satisfied", r => Nullable(NpgsqlDbType.Boolean, r.FollowUp?.Satisfied)),
        ("followup_rating", r => Nullable(NpgsqlDbType.Integer, r.FollowUp?.Rating)),
    ];

    private static readonly string LedgerColumns = string.Join(", ", Ledger.Select(c => c.Column)) + ", recorded_at";

    private static readonly string LedgerValues = string.Join(", ", Ledger.Select((_, i) => $"${i + 1}")) + ", now()";

    private static readonly string LedgerUpdates =
        string.Join(", ", Ledger.Skip(1).Select(c => $"{c.Column} = EXCLUDED.{c.Column}")) + ", recorded_at = EXCLUDED.recorded_at";

    // The parameters after the ledger's: the state, its new tag, the tag expected, then the open offers' columns.
    private static readonly int StateParameter = Ledger.Length + 1;

    private const string LoadSql = "SELECT state, state_etag FROM outreach_requests WHERE id = $1";

    /// <summary>Reads a request's state; null state when there is none (or only a ledger row from before 0009).</summary>
    public async Task<StoredRequest> LoadAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(LoadSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return new StoredRequest(null, null, Legacy: false);
        var (stateColumn, etagColumn) = (reader.GetOrdinal("state"), reader.GetOrdinal("state_etag"));
        if (await reader.IsDBNullAsync(stateColumn, cancellationToken))
            return new StoredRequest(null, null, Legacy: true);
        var state = JsonSerializer.Deserialize<HelpRequestState>(reader.GetString(stateColumn), _json)
            ?? throw new InvalidDataException($"Request {id}: stored state is null.");
        return new StoredRequest(state, reader.IsDBNull(etagColumn) ? null : reader.GetInt64(etagColumn), Legacy: false);
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

        var (state, newTag, expectedTag, offered) = (StateParameter, StateParameter + 1, StateParameter + 2, StateParameter + 3);
        var sql = $"""
            WITH saved AS (
                INSERT INTO outreach_requests ({LedgerColumns}, state, state_etag)
                VALUES ({LedgerValues}, ${state}::json, ${newTag})
                ON CONFLICT (id) DO UPDATE SET {LedgerUpdates}, state = EXCLUDED.state, state_etag = EXCLUDED.state_etag
                WHERE outreach_requests.state_etag IS NOT DISTINCT FROM ${expectedTag}
                RETURNING id
            ){(offersChanged && wasOffered ? $"""
            , withdrawn AS (
                DELETE FROM outreach_offers
                WHERE request_id = $1 AND NOT (volunteer_id = ANY(${offered})) AND EXISTS (SELECT 1 FROM saved)
            )
            """ : "")}{(offersChanged && isOffered ? $"""
            , offered AS (
                INSERT INTO outreach_offers (volunteer_id, request_id, eta_minutes, distance_m, offered_at)
                SELECT o.v, $1, o.e, o.d, o.t FROM unnest(${offered}, ${offered + 1}, ${offered + 2}, ${offered + 3}) AS o(v, e, d, t)
                WHERE EXISTS (SELECT 1 FROM saved)
                ON CONFLICT (volunteer_id, request_id) DO NOTHING
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
        foreach (var (_, value) in Ledger)
            p.Add(value(request));
    }

    private static NpgsqlParameter Time(DateTimeOffset? value) =>
        Nullable(NpgsqlDbType.TimestampTz, value?.UtcDateTime);

    private static NpgsqlParameter Nullable<T>(NpgsqlDbType type, T? value) where T : struct =>
        new() { NpgsqlDbType = type, Value = value.HasValue ? value.Value : DBNull.Value };
}

/// <summary>A request's row was written by someone else since this activation read it: the activation must not write again.</summary>
public sealed class RequestConflictException(Guid requestId)
    : Exception($"Request {requestId} was changed by another activation since it was read.");
