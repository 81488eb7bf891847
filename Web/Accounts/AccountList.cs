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
            if (reader.IsDBNull(0))
                continue;
            using var json = JsonDocument.Parse(reader.GetString(0));
            var a = json.RootElement;
            if (a.ValueKind != JsonValueKind.Object)
                continue;
            accounts.Add(new AccountView(
                a.GetProperty(nameof(Account.Id)).GetGuid(),
                a.GetProperty(nameof(Account.Login)).GetString() ?? "",
                a.GetProperty(nameof(Account.Name)).GetString() ?? "",
                [.. a.GetProperty(nameof(Account.Roles)).EnumerateArray().Select(r => r.GetString() ?? "")],
                a.TryGetProperty(nameof(Account.VolunteerId), out var v) && v.ValueKind == JsonValueKind.String ? v.GetGuid() : null,
                a.TryGetProperty(nameof(Account.Disabled), out var d) && d.ValueKind == JsonValueKind.True));
        }
        return [.. accounts.OrderBy(a => a.Login, StringComparer.OrdinalIgnoreCase)];
    }
}
