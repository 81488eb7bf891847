using Npgsql;

namespace Outreach.Bench;

/// <summary>PostgreSQL's own counters for the bench database: commits and rows written per table.</summary>
public sealed record DatabaseCounters(long Commits, IReadOnlyDictionary<string, long> RowsWritten)
{
    public static async Task<DatabaseCounters> ReadAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var clear = new NpgsqlCommand("SELECT pg_stat_clear_snapshot()", connection))
            await clear.ExecuteNonQueryAsync();
        long commits;
        await using (var command = new NpgsqlCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()", connection))
            commits = (long)(await command.ExecuteScalarAsync())!;
        var rows = new Dictionary<string, long>();
        await using (var command = new NpgsqlCommand("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                rows[reader.GetString(0)] = reader.GetInt64(1);
        }
        return new DatabaseCounters(commits, rows);
    }

    /// <summary>What happened between <paramref name="before"/> and this reading.</summary>
    public DatabaseCounters Minus(DatabaseCounters before) => new(
        Commits - before.Commits,
        RowsWritten.ToDictionary(p => p.Key, p => p.Value - before.RowsWritten.GetValueOrDefault(p.Key)));
}
