using Npgsql;

namespace Outreach.Tests.Infrastructure;

/// <summary>
/// The real PostgreSQL the tests run against. <c>./test.sh</c> starts a project-local server and sets
/// <c>OUTREACH_TEST_DB</c> to a connection string whose role may create databases; each fixture makes
/// its own fresh database from it, so fixtures never see each other's rows.
/// </summary>
public static class TestDatabase
{
    public const string EnvironmentVariable = "OUTREACH_TEST_DB";

    /// <summary>The connection string of the server's maintenance database.</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set: run the tests with ./test.sh, which starts PostgreSQL and sets it.");

    /// <summary>Creates an empty database with a fresh name and returns its connection string.</summary>
    public static async Task<string> CreateAsync(string purpose)
    {
        var name = $"t_{purpose}_{Guid.NewGuid():N}";
        name = name[..Math.Min(60, name.Length)].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(ServerConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>
    /// Drops a database made by <see cref="CreateAsync"/>, closing its connections. Cleanup never fails a test:
    /// a backend the test role may not terminate (e.g. a superuser's maintenance) gets a few retries, then the
    /// database is left for the next run's server to carry.
    /// </summary>
    public static async Task DropAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ServerConnectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException) when (attempt < 5)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt));
            }
            catch (PostgresException)
            {
                return;
            }
        }
    }
}
