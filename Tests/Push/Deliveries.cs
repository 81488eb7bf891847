using Npgsql;

namespace Outreach.Tests.Push;

/// <summary>Reads the delivery record (<c>outreach_deliveries</c>) and push devices as the silos wrote them.</summary>
public static class Deliveries
{
    /// <summary>One row: event, channel, outcome, detail.</summary>
    public sealed record Row(string Event, string Channel, string Outcome, string? Detail);

    /// <summary>The rows of a request for one volunteer, oldest first.</summary>
    public static async Task<IReadOnlyList<Row>> ReadAsync(string connectionString, Guid requestId, Guid volunteerId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            // A round's offer to the live pages is one row for all its volunteers (volunteer_ids).
            "SELECT event, channel, outcome, detail FROM outreach_deliveries WHERE request_id = $1 AND (volunteer_id = $2 OR $2 = ANY(volunteer_ids)) ORDER BY id",
            connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = requestId });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = volunteerId });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Row>();
        while (await reader.ReadAsync())
            rows.Add(new Row(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        return rows;
    }

    /// <summary>Waits (≤ 20 s; the record is written in batches) until a row matches, and answers the rows then.</summary>
    public static async Task<IReadOnlyList<Row>> WaitForAsync(
        string connectionString, Guid requestId, Guid volunteerId, Func<Row, bool> match, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var rows = await ReadAsync(connectionString, requestId, volunteerId);
            if (rows.Any(match))
                return rows;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The delivery record has no {what}; it has: [{string.Join("; ", rows)}]");
            await Task.Delay(200);
        }
    }

    /// <summary>How many push devices the volunteer has.</summary>
    public static async Task<long> DeviceCountAsync(string connectionString, Guid volunteerId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM outreach_push_subscriptions WHERE volunteer_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = volunteerId });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
