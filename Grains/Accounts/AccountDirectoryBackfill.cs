using System.Text.Json;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Outreach.Accounts;
using Outreach.Files;

namespace Outreach.Grains.Accounts;

/// <summary>
/// Lists accounts stored before the accounts directory existed: for every account grain row in Orleans' table
/// (<c>orleansstorage</c>, state <c>account</c>) whose id has no line in the directory yet, the line is added. Runs in
/// the silo before Orleans starts (the silo owns Orleans' tables; the web only ever reads the directory). A line
/// already there is never touched, since the account grain keeps it current; running it again adds nothing.
/// </summary>
public static class AccountDirectoryBackfill
{
    private static readonly JsonSerializerOptions Json = new();

    /// <summary>Adds the missing lines of <paramref name="serviceId"/>'s accounts; returns how many were added.</summary>
    public static async Task<int> RunAsync(string connectionString, string serviceId, ILogger log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);

        var summaries = new List<AccountSummary>();
        await using (var select = new NpgsqlCommand("""
            SELECT convert_from(payloadbinary, 'UTF8')::jsonb -> 'Account'
            FROM orleansstorage
            WHERE serviceid = $1 AND graintypestring = 'account' AND payloadbinary IS NOT NULL
            """, connection))
        {
            select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!reader.IsDBNull(0) && JsonSerializer.Deserialize<Account>(reader.GetString(0), Json) is { } account)
                    summaries.Add(AccountSummary.Of(account));
            }
        }
        if (summaries.Count == 0)
            return 0;

        await using var insert = new NpgsqlCommand("""
            INSERT INTO outreach_directory_entries (shard, id, entry, written_at)
            SELECT shard, id, entry, now() FROM unnest($1::text[], $2::uuid[], $3::jsonb[]) AS t(shard, id, entry)
            ON CONFLICT (shard, id) DO NOTHING
            """, connection);
        insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. summaries.Select(s => DirectoryShards.Accounts.KeyFor(s.Id))] });
        insert.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. summaries.Select(s => s.Id)] });
        insert.Parameters.Add(new NpgsqlParameter
        {
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb,
            Value = summaries.Select(s => JsonSerializer.Serialize(s, Json)).ToArray(),
        });
        var added = await insert.ExecuteNonQueryAsync(cancellationToken);
        if (added > 0)
            log.LogInformation("Listed {Count} account(s) stored before the accounts directory", added);
        return added;
    }
}
