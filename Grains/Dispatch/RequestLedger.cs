using Npgsql;
using NpgsqlTypes;
using Outreach.Dispatch;

namespace Outreach.Grains.Dispatch;

/// <summary>
/// Writes the request ledger (<c>outreach_requests</c>) with one upsert per transition; a row is only replaced by
/// the same or a newer <see cref="HelpRequestView.Version"/>. Personal data (address, phone, description) is not copied.
/// </summary>
public sealed class RequestLedger(NpgsqlDataSource database) : IRequestLedger
{
    private const string UpsertSql = """
        INSERT INTO outreach_requests
            (id, version, status, escalated, category, urgency, lat, lon, station_id, worker_id, created_by,
             assigned_volunteer_id, offered_count, circle_minutes, created_at, claimed_at, en_route_at, on_site_at,
             completed_at, closed_at, deadline_at, followup_satisfied, followup_rating, recorded_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, now())
        ON CONFLICT (id) DO UPDATE SET
            version = EXCLUDED.version,
            status = EXCLUDED.status,
            escalated = EXCLUDED.escalated,
            category = EXCLUDED.category,
            urgency = EXCLUDED.urgency,
            lat = EXCLUDED.lat,
            lon = EXCLUDED.lon,
            station_id = EXCLUDED.station_id,
            worker_id = EXCLUDED.worker_id,
            created_by = EXCLUDED.created_by,
            assigned_volunteer_id = EXCLUDED.assigned_volunteer_id,
            offered_count = EXCLUDED.offered_count,
            circle_minutes = EXCLUDED.circle_minutes,
            created_at = EXCLUDED.created_at,
            claimed_at = EXCLUDED.claimed_at,
            en_route_at = EXCLUDED.en_route_at,
            on_site_at = EXCLUDED.on_site_at,
            completed_at = EXCLUDED.completed_at,
            closed_at = EXCLUDED.closed_at,
            deadline_at = EXCLUDED.deadline_at,
            followup_satisfied = EXCLUDED.followup_satisfied,
            followup_rating = EXCLUDED.followup_rating,
            recorded_at = EXCLUDED.recorded_at
        WHERE outreach_requests.version <= EXCLUDED.version
        """;

    public async Task RecordAsync(HelpRequestView request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var command = database.CreateCommand(UpsertSql);
        var p = command.Parameters;
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
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter Time(DateTimeOffset? value) =>
        Nullable(NpgsqlDbType.TimestampTz, value?.UtcDateTime);

    private static NpgsqlParameter Nullable<T>(NpgsqlDbType type, T? value) where T : struct =>
        new() { NpgsqlDbType = type, Value = value.HasValue ? value.Value : DBNull.Value };
}
