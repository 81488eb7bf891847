using Npgsql;

namespace Outreach.Tests.Infrastructure;

/// <summary>
/// Storage faults injected into the real PostgreSQL: a trigger makes every insert or update (or delete) of <c>table</c> whose new (old)
/// row matches <c>condition</c> (SQL over <c>NEW</c>) fail as a lost connection would (at once, or after a wait) — SQL state 08006, a fault a
/// retry can cure — until the returned handle is disposed, which drops the trigger.
/// </summary>
public static class StorageFaults
{
    /// <summary>Fails matching writes of <paramref name="table"/>; <paramref name="after"/>: each is held this long first (a slow write that then fails).</summary>
    public static Task<IAsyncDisposable> FailWritesAsync(string connectionString, string table, string condition, TimeSpan? after = null) =>
        FailAsync(connectionString, table, "INSERT OR UPDATE", "NEW", condition,
            after is { } wait ? $"PERFORM pg_sleep({wait.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)});" : "");

    /// <summary>
    /// Refuses matching writes of <paramref name="table"/> for what is in them (SQL state 22023, invalid parameter
    /// value: no retry can cure it), as PostgreSQL refuses a value it does not take.
    /// </summary>
    public static Task<IAsyncDisposable> RefuseWritesAsync(string connectionString, string table, string condition) =>
        FailAsync(connectionString, table, "INSERT OR UPDATE", "NEW", condition, "", sqlState: "22023");

    /// <summary>Fails deletes of <paramref name="table"/> whose old row matches <paramref name="condition"/> (SQL over <c>OLD</c>).</summary>
    public static Task<IAsyncDisposable> FailDeletesAsync(string connectionString, string table, string condition) =>
        FailAsync(connectionString, table, "DELETE", "OLD", condition, "");

    private static async Task<IAsyncDisposable> FailAsync(string connectionString, string table, string operations, string row, string condition, string hold,
        string sqlState = "08006")
    {
        var name = "test_fail_" + Guid.NewGuid().ToString("N")[..12];
        var db = NpgsqlDataSource.Create(connectionString);
        await using (var create = db.CreateCommand($"""
            CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $f$
            BEGIN
                IF {condition} THEN
                    {hold}
                    RAISE EXCEPTION 'injected storage fault' USING ERRCODE = '{sqlState}';
                END IF;
                RETURN {row};
            END $f$;
            CREATE TRIGGER {name} BEFORE {operations} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}();
            """))
        {
            await create.ExecuteNonQueryAsync();
        }
        return new Fault(db, name, table);
    }

    private sealed class Fault(NpgsqlDataSource db, string name, string table) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (var drop = db.CreateCommand($"DROP TRIGGER {name} ON {table}; DROP FUNCTION {name}();"))
                await drop.ExecuteNonQueryAsync();
            await db.DisposeAsync();
        }
    }
}
