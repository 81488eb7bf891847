using Npgsql;

namespace Outreach.Bench;

/// <summary>One statement's counters in <c>pg_stat_statements</c>: its text (parameters as $n), calls, rows and time.</summary>
public sealed record StatementCounters(string Query, long Calls, long Rows, double TotalMs);

/// <summary>
/// PostgreSQL's own counters for the bench database: transactions committed (reads in autocommit count too), rows
/// written per table, and — when the cluster loads <c>pg_stat_statements</c>, as bench.sh starts it — each statement's
/// calls and time, so a step can say which statements a request costs.
/// </summary>
public sealed record DatabaseCounters(long Commits, IReadOnlyDictionary<string, long> RowsWritten,
    IReadOnlyDictionary<long, StatementCounters> Statements)
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
        return new DatabaseCounters(commits, rows, await StatementsAsync(connection));
    }

    /// <summary>What happened between <paramref name="before"/> and this reading.</summary>
    public DatabaseCounters Minus(DatabaseCounters before) => new(
        Commits - before.Commits,
        RowsWritten.ToDictionary(p => p.Key, p => p.Value - before.RowsWritten.GetValueOrDefault(p.Key)),
        Statements.ToDictionary(p => p.Key, p => before.Statements.TryGetValue(p.Key, out var b)
            ? p.Value with { Calls = p.Value.Calls - b.Calls, Rows = p.Value.Rows - b.Rows, TotalMs = p.Value.TotalMs - b.TotalMs }
            : p.Value));

    /// <summary>Every statement of this database, by query id; none when the extension is not there (or not loaded).</summary>
    private static async Task<Dictionary<long, StatementCounters>> StatementsAsync(NpgsqlConnection connection)
    {
        var statements = new Dictionary<long, StatementCounters>();
        try
        {
            await using var command = new NpgsqlCommand("""
                SELECT queryid, query, calls, rows, total_exec_time
                FROM pg_stat_statements
                WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND queryid IS NOT NULL
                """, connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var id = reader.GetInt64(0);
                var counters = new StatementCounters(reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetDouble(4));
                // The same text under two users or top-level flags: add them up.
                statements[id] = statements.TryGetValue(id, out var seen)
                    ? seen with { Calls = seen.Calls + counters.Calls, Rows = seen.Rows + counters.Rows, TotalMs = seen.TotalMs + counters.TotalMs }
                    : counters;
            }
        }
        catch (PostgresException)
        {
            // pg_stat_statements is not installed in this database, or the server did not load it.
        }
        return statements;
    }
}
