using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans.Serialization;
using Outreach.Database;
using Outreach.Files;

namespace Outreach.Grains.Files;

/// <summary>
/// The directories in <c>outreach_directory_entries</c> (migration 0008), as JSON written with the grain storage's
/// own serializer options, so a row reads like the grain state beside it.
/// </summary>
public sealed class DirectoryStore(NpgsqlDataSource database, IOptions<SystemTextJsonGrainStorageSerializerOptions> json)
    : IDirectoryStore
{
    private const string SelectSql = "SELECT entry FROM outreach_directory_entries WHERE shard = $1";

    private const string UpsertSql = """
        INSERT INTO outreach_directory_entries (shard, id, entry, written_at) VALUES ($1, $2, $3, now())
        ON CONFLICT (shard, id) DO UPDATE SET entry = EXCLUDED.entry, written_at = EXCLUDED.written_at
        """;

    private const string DeleteSql = "DELETE FROM outreach_directory_entries WHERE shard = $1 AND id = ANY($2)";

    private JsonSerializerOptions Options => json.Value.JsonSerializerOptions;

    public async Task<IReadOnlyList<TEntry>> LoadAsync<TEntry>(string shard, CancellationToken cancellationToken = default)
        where TEntry : IDirectoryEntry
    {
        await using var command = database.CreateCommand(SelectSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = shard });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<TEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(JsonSerializer.Deserialize<TEntry>(reader.GetString(0), Options)
                ?? throw new InvalidDataException($"A null entry in directory shard {shard}."));
        }
        return entries;
    }

    public Task SaveAsync<TEntry>(string shard, IReadOnlyCollection<TEntry> upserts, IReadOnlyCollection<Guid> removals,
        CancellationToken cancellationToken = default)
        where TEntry : IDirectoryEntry =>
        RowBatch.SaveAsync(database, shard, UpsertSql, upserts, (p, entry) =>
        {
            p.Add(new NpgsqlParameter<Guid> { TypedValue = entry.Id });
            p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = JsonSerializer.Serialize(entry, Options) });
        }, DeleteSql, removals, cancellationToken);
}
