using Npgsql;
using Outreach.Reach;

namespace Outreach.Grains.Reach;

/// <summary>
/// Owns <c>outreach_push_subscriptions</c> (migration 0012): each volunteer's browsers that take Web Push. One row per
/// endpoint: a browser that subscribes again for another volunteer (a shared phone) moves to that volunteer.
/// </summary>
public sealed class PushSubscriptionStore(NpgsqlDataSource database, TimeProvider clock)
{
    // The CTE reads the row as it was before the statement, so the answer says whether this volunteer had it already.
    private const string SaveSql = """
        WITH before AS (SELECT volunteer_id FROM outreach_push_subscriptions WHERE endpoint = $1)
        INSERT INTO outreach_push_subscriptions (endpoint, volunteer_id, p256dh, auth, session, created_at, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $6)
        ON CONFLICT (endpoint) DO UPDATE SET
            volunteer_id = EXCLUDED.volunteer_id, p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth,
            session = EXCLUDED.session, updated_at = EXCLUDED.updated_at,
            created_at = CASE WHEN outreach_push_subscriptions.volunteer_id = EXCLUDED.volunteer_id
                              THEN outreach_push_subscriptions.created_at ELSE EXCLUDED.created_at END
        RETURNING NOT EXISTS (SELECT 1 FROM before WHERE volunteer_id = $2)
        """;

    /// <summary>Keeps the device for the volunteer; true when the endpoint was not theirs before.</summary>
    public async Task<bool> SaveAsync(Guid volunteerId, PushDevice device, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(SaveSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = device.Endpoint });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = volunteerId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = device.P256dh });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = device.Auth });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)device.Session ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = clock.GetUtcNow() });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Forgets the volunteer's device with this endpoint; true when there was one.</summary>
    public async Task<bool> RemoveAsync(Guid volunteerId, string endpoint, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(
            "DELETE FROM outreach_push_subscriptions WHERE endpoint = $1 AND volunteer_id = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = endpoint });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = volunteerId });
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>Forgets the volunteer's devices that one login session subscribed; how many.</summary>
    public async Task<int> RemoveSessionAsync(Guid volunteerId, string session, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(
            "DELETE FROM outreach_push_subscriptions WHERE volunteer_id = $1 AND session = $2");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = volunteerId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = session });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Which of these volunteers have at least one device (one indexed query).</summary>
    public async Task<IReadOnlySet<Guid>> WithDevicesAsync(IReadOnlyCollection<Guid> volunteers, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(
            "SELECT DISTINCT volunteer_id FROM outreach_push_subscriptions WHERE volunteer_id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. volunteers] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new HashSet<Guid>();
        while (await reader.ReadAsync(cancellationToken))
            found.Add(reader.GetGuid(0));
        return found;
    }

    /// <summary>The volunteer's devices, oldest first.</summary>
    public async Task<IReadOnlyList<PushDevice>> ListAsync(Guid volunteerId, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(
            "SELECT endpoint, p256dh, auth, session FROM outreach_push_subscriptions WHERE volunteer_id = $1 ORDER BY created_at, endpoint");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = volunteerId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var devices = new List<PushDevice>();
        while (await reader.ReadAsync(cancellationToken))
            devices.Add(new PushDevice(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        return devices;
    }
}
