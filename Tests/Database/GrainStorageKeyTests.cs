using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Outreach.Database;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Database;

/// <summary>
/// A grain's state is read and written by its whole key, also under a plan made for any key (a prepared statement's
/// generic plan, a function's cached one): string-keyed grains — every account, "login:…" with both numbers 0 — share
/// everything but the key's string, and one account's read or write must not walk all the others.
/// </summary>
[Category(TestCategory.Database)]
public sealed partial class GrainStorageKeyTests : IAsyncLifetime
{
    private const int Accounts = 2000;
    private const int Volunteers = 8000;
    private const string Service = "outreach";
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        _connectionString = await TestDatabase.CreateAsync("storagekey");
        await new SchemaMigrator(_connectionString, NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
    }

    public Task DisposeAsync() => TestDatabase.DropAsync(_connectionString);

    [Fact]
    public async Task ReadAndWriteOfOneStringKeyedGrain_TouchOnlyItsRow_UnderAGenericPlan()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        // As in a city: many guid-keyed grains (no string part) and many accounts (numbers 0, the login as the string).
        await ExecuteAsync(connection, $"""
            INSERT INTO orleansstorage (serviceid, graintypestring, grainidn0, grainidn1, grainidextensionstring, grainidhash, graintypehash, payloadbinary, version)
            SELECT '{Service}', 'account', 0, 0, 'login:v' || i, 0, 0, decode(lpad(to_hex(i % 250), 2, '0'), 'hex'), 1 FROM generate_series(0, {Accounts - 1}) AS i
            UNION ALL
            SELECT '{Service}', 'volunteer', i, i + 1, NULL, 0, 0, '\x07'::bytea, 1 FROM generate_series(1, {Volunteers}) AS i
            """);
        await ExecuteAsync(connection, "ANALYZE orleansstorage");

        await ExecuteAsync(connection, "SET plan_cache_mode = force_generic_plan");
        await ExecuteAsync(connection, $"PREPARE read_state(text, text, int8, int8, text) AS {await ReadQueryAsync(connection)}");
        var (accountExamined, account) = await ReadAsync(connection, "account", 0, 0, "'login:v1234'");
        var (guidExamined, volunteer) = await ReadAsync(connection, "volunteer", 11, 12, "NULL");

        // Writes through the function (its statements' plans are cached the same way), counted by the index's entries read.
        await using var transaction = await connection.BeginTransactionAsync();
        var version = 1;
        for (var i = 0; i < 6; i++)
            version = await WriteAsync(connection, "account", 0, 0, "login:v1234", version, [42]) ?? 0;
        var stale = await WriteAsync(connection, "account", 0, 0, "login:v1234", 1, [43]);
        var entriesRead = await ScalarAsync<long>(connection, "SELECT pg_stat_get_xact_tuples_returned('ux_orleansstorage_grain'::regclass)");
        await transaction.CommitAsync();

        Assert.Equal((1L, 1234 % 250), (account.Rows, account.FirstByte));
        Assert.True(accountExamined <= 2, $"reading one account looked at {accountExamined} rows of {Accounts}");
        Assert.Equal((1L, 7), (volunteer.Rows, volunteer.FirstByte));
        Assert.True(guidExamined <= 2, $"reading one guid-keyed grain looked at {guidExamined} rows");
        Assert.Equal(7, version);
        Assert.Null(stale);
        Assert.True(entriesRead <= 50, $"seven writes of one account read {entriesRead} index entries ({Accounts} accounts stored)");
    }

    private static async Task<int?> WriteAsync(NpgsqlConnection connection, string state, long n0, long n1, string? extension, int? version, byte[] payload)
    {
        await using var command = new NpgsqlCommand("SELECT outreach_storage_write($1, $2, $3, $4, $5, 0, 0, $6, $7)", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Service });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = state });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = n0 });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = n1 });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text, Value = (object?)extension ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer, Value = (object?)version ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = payload });
        return await command.ExecuteScalarAsync() is int written ? written : null;
    }

    /// <summary>The provider's read as installed, its named parameters numbered in the order the prepared statement takes them.</summary>
    private static async Task<string> ReadQueryAsync(NpgsqlConnection connection)
    {
        var text = await ScalarAsync<string>(connection, "SELECT querytext FROM orleansquery WHERE querykey = 'ReadFromStorageKey'");
        string[] order = ["ServiceId", "GrainTypeString", "GrainIdN0", "GrainIdN1", "GrainIdExtensionString"];
        return NamedParameter().Replace(text.Trim().TrimEnd(';'), m => "$" + (Array.IndexOf(order, m.Groups[1].Value) + 1));
    }

    /// <summary>Runs the prepared read under EXPLAIN ANALYZE: the rows its scans looked at; and what it returned.</summary>
    private static async Task<(long Examined, (long Rows, int FirstByte) Result)> ReadAsync(NpgsqlConnection connection, string state, long n0, long n1, string extension)
    {
        var arguments = $"'{Service}', '{state}', {n0}, {n1}, {extension}";
        var plan = JsonDocument.Parse(await ScalarAsync<string>(connection, $"EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE read_state({arguments})"))
            .RootElement[0].GetProperty("Plan");
        await using var command = new NpgsqlCommand($"EXECUTE read_state({arguments})", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no state for {state} {extension}");
        var payload = reader.GetFieldValue<byte[]>(0);
        return (PlanRows.Examined(plan), (plan.GetProperty("Actual Rows").GetInt64(), payload[0]));
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [GeneratedRegex("@([A-Za-z0-9]+)")]
    private static partial Regex NamedParameter();
}
