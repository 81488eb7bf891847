using System.Text.Json;
using Npgsql;
using Outreach.Accounts;

namespace Outreach.Web.Accounts;

/// <summary>
/// Every login, read from the account grains' own rows in <c>orleansstorage</c> (state name <c>account</c>, scoped by
/// <c>Orleans:ServiceId</c>): one query, complete by construction, without activating a grain per account. The
/// password hash is read past, never returned.
/// </summary>
public sealed class AccountList(NpgsqlDataSource database, IConfiguration configuration)
{
    private const string Sql = """
        SELECT convert_from(payloadbinary, 'UTF8')::jsonb -> 'Account'
        FROM orleansstorage
        WHERE serviceid = $1 AND graintypestring = 'account' AND payloadbinary IS NOT NULL
        """;

    private string ServiceId => configuration["Orleans:ServiceId"] ?? "outreach";

    /// <summary>The accounts, by login.</summary>
    public async Task<AccountView[]> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ServiceId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var accounts = new List<AccountView>();
        while (await reader.ReadAsync(cancellationToken))
        {
            // The grain state's own JSON (PascalCase, enum names); a row written before `Disabled` existed reads as enabled.
            if (!reader.IsDBNull(0) && JsonSerializer.Deserialize<Account>(reader.GetString(0)) is { } account)
                accounts.Add(AccountView.Of(account));
        }
        return [.. accounts.OrderBy(a => a.Login, StringComparer.OrdinalIgnoreCase)];
    }
}
