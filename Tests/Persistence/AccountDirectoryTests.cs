using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Outreach.Accounts;
using Outreach.Files;
using Outreach.Grains.Accounts;
using Outreach.Model;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Persistence;

/// <summary>
/// The accounts directory: every write of an account lists it (no password hash in the line), and accounts stored
/// before the directory are listed by the silo's backfill without touching lines the grains keep.
/// </summary>
[Collection(PostgresClusterCollection.Name)]
[Category(TestCategory.Grains)]
public sealed class AccountDirectoryTests(PostgresClusterFixture fixture)
{
    private static Account NewAccount(string name) =>
        new(Guid.NewGuid(), "dir-" + Guid.NewGuid().ToString("N")[..8], name, [Roles.Operator], "hash-never-listed", null);

    [Fact]
    public async Task AccountWrites_AreListed_WithoutHashOrStamp()
    {
        var account = NewAccount("目录甲");
        var grain = fixture.Client.GetGrain<IAccountGrain>(AccountKeys.For(account.Login));

        Assert.True(await grain.CreateAsync(account));
        Assert.Equal(Shown(AccountSummary.Of(account)), Shown(await ListedAsync(account.Id)));
        var disabled = await grain.UpsertAsync(account with { Disabled = true, Roles = [Roles.Coordinator] });
        Assert.Equal(Shown(AccountSummary.Of(disabled)), Shown(await ListedAsync(account.Id)));

        var row = await RowAsync(account.Id);
        Assert.DoesNotContain("hash-never-listed", row, StringComparison.Ordinal);
        Assert.DoesNotContain(disabled.SecurityStamp, row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backfill_ListsAccountsMissingFromTheDirectory_AndLeavesListedOnesAlone()
    {
        var missing = NewAccount("目录乙");
        var listed = NewAccount("目录丙");
        foreach (var account in new[] { missing, listed })
            Assert.True(await fixture.Client.GetGrain<IAccountGrain>(AccountKeys.For(account.Login)).CreateAsync(account));
        // As before the directory: no line for the first; the second's line says something the backfill must not overwrite.
        await ExecuteAsync("DELETE FROM outreach_directory_entries WHERE id = $1", missing.Id);
        await ExecuteAsync("UPDATE outreach_directory_entries SET entry = jsonb_set(entry, '{Name}', '\"kept\"') WHERE id = $1", listed.Id);

        var added = await AccountDirectoryBackfill.RunAsync(fixture.ConnectionString, fixture.ServiceId, NullLogger.Instance);
        var again = await AccountDirectoryBackfill.RunAsync(fixture.ConnectionString, fixture.ServiceId, NullLogger.Instance);

        Assert.Equal(1, added);
        Assert.Equal(0, again);
        Assert.Contains("\"目录乙\"", await RowAsync(missing.Id), StringComparison.Ordinal);
        Assert.Contains("\"kept\"", await RowAsync(listed.Id), StringComparison.Ordinal);
        Assert.Contains(DirectoryShards.Accounts.KeyFor(missing.Id), await ShardOfAsync(missing.Id), StringComparison.Ordinal);
    }

    /// <summary>The summary's fields, its roles as one string (records compare arrays by reference).</summary>
    private static (Guid, string, string, string, Guid?, bool)? Shown(AccountSummary? a) =>
        a is null ? null : (a.Id, a.Login, a.Name, string.Join(",", a.Roles), a.VolunteerId, a.Disabled);

    private async Task<AccountSummary?> ListedAsync(Guid id) =>
        (await fixture.Client.ListDirectoryAsync<AccountSummary>(DirectoryShards.Accounts)).SingleOrDefault(a => a.Id == id);

    private async Task<string> RowAsync(Guid id) => await ScalarAsync("SELECT entry::text FROM outreach_directory_entries WHERE id = $1", id);

    private async Task<string> ShardOfAsync(Guid id) => await ScalarAsync("SELECT shard FROM outreach_directory_entries WHERE id = $1", id);

    private async Task<string> ScalarAsync(string sql, Guid id)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        return (string)(await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"No row for {id}."));
    }

    private async Task ExecuteAsync(string sql, Guid id)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
