using System.Text.Json;
using Microsoft.Extensions.Logging;
using Npgsql;
using Outreach.Files;

namespace Outreach.Grains.Files;

/// <summary>
/// Moves phone index entries stored before 0010 under the plain number (<c>phone:+8613803930001</c>) to their
/// keyed-hash key (<see cref="PhoneIndexKeys"/>), in the storage table itself, before Orleans starts: no grain is
/// ever activated under a key with the number in it. A row is renamed; when the new key already has a row, the
/// two lists of files are merged into it and the old row deleted. One transaction, so a crash leaves either every
/// old row or none; running it again finds nothing to move. The hashes the provider stores are never matched
/// (0003), so a renamed row is read under its new key.
/// </summary>
public static class PhoneIndexMigration
{
    private const string StateName = "phoneIndex";

    private static readonly JsonSerializerOptions Json = new();

    /// <summary>Moves every legacy entry of <paramref name="serviceId"/>; returns how many were moved.</summary>
    public static async Task<int> RunAsync(string connectionString, string serviceId, PhoneIndexKeys keys, ILogger log,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(log);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var legacy = new List<(string Key, byte[]? Payload)>();
        await using (var select = new NpgsqlCommand("""
            SELECT grainidextensionstring, payloadbinary FROM orleansstorage
            WHERE serviceid = $1 AND graintypestring = $2 AND grainidextensionstring LIKE 'phone:%'
            FOR UPDATE
            """, connection, transaction))
        {
            select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
            select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = StateName });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                legacy.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<byte[]>(1)));
        }

        foreach (var (oldKey, payload) in legacy)
        {
            var newKey = keys.For(oldKey[PhoneIndexKeys.LegacyPrefix.Length..]);
            var existing = await ReadAsync(connection, transaction, serviceId, newKey, cancellationToken);
            if (existing is null)
            {
                await ExecuteAsync(connection, transaction, """
                    UPDATE orleansstorage SET grainidextensionstring = $3, modifiedon = now()
                    WHERE serviceid = $1 AND graintypestring = 'phoneIndex' AND grainidextensionstring = $2
                    """, cancellationToken, serviceId, oldKey, newKey);
                continue;
            }
            var merged = Ids(existing).Union(Ids(payload)).ToArray();
            await ExecuteAsync(connection, transaction, """
                UPDATE orleansstorage SET payloadbinary = convert_to($3, 'UTF8'), version = outreach_next_version(version), modifiedon = now()
                WHERE serviceid = $1 AND graintypestring = 'phoneIndex' AND grainidextensionstring = $2
                """, cancellationToken, serviceId, newKey, JsonSerializer.Serialize(new { WorkerIds = merged }, Json));
            await ExecuteAsync(connection, transaction, """
                DELETE FROM orleansstorage
                WHERE serviceid = $1 AND graintypestring = 'phoneIndex' AND grainidextensionstring = $2
                """, cancellationToken, serviceId, oldKey);
        }
        await transaction.CommitAsync(cancellationToken);
        if (legacy.Count > 0)
            log.LogInformation("Moved {Count} phone index entries from plain-number keys to keyed-hash keys", legacy.Count);
        return legacy.Count;
    }

    private static async Task<byte[]?> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string serviceId,
        string key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT payloadbinary FROM orleansstorage
            WHERE serviceid = $1 AND graintypestring = 'phoneIndex' AND grainidextensionstring = $2
            FOR UPDATE
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        return reader.IsDBNull(0) ? [] : reader.GetFieldValue<byte[]>(0);
    }

    private static Guid[] Ids(byte[]? payload)
    {
        if (payload is null || payload.Length == 0)
            return [];
        using var document = JsonDocument.Parse(payload);
        return document.RootElement.TryGetProperty("WorkerIds", out var ids) && ids.ValueKind == JsonValueKind.Array
            ? [.. ids.EnumerateArray().Select(e => e.GetGuid())]
            : [];
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql,
        CancellationToken cancellationToken, params string[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
