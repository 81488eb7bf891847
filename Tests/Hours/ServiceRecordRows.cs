using Npgsql;
using NpgsqlTypes;

namespace Outreach.Tests.Hours;

/// <summary>A service record as a test wants it: completed at a known time, for a known time, perhaps corrected.</summary>
public sealed record RecordRow(DateTimeOffset CompletedAt, double Minutes, double? Corrected = null);

/// <summary>Writes service records straight into the table (as the grains write them, opened a day before they start), for figures a test can know exactly.</summary>
public static class ServiceRecordRows
{
    public static async Task InsertAsync(string connectionString, Guid volunteerId, IEnumerable<RecordRow> rows, Guid? station = null,
        string category = "Groceries")
    {
        await using var database = NpgsqlDataSource.Create(connectionString);
        foreach (var row in rows)
        {
            await using var command = database.CreateCommand("""
                INSERT INTO outreach_service_records (request_id, seq, volunteer_id, volunteer_name, station_id, category, opened_at,
                    started_at, completed_at, minutes, satisfied, corrected_minutes, correction_reason, corrected_by_name, corrected_at)
                VALUES ($1, 1, $2, '测试志愿者', $3, $9, $4 - interval '1 day', $4 - make_interval(secs => $5 * 60), $4, $5, $6, $7, $8,
                        CASE WHEN $7 IS NULL THEN NULL ELSE '测试协调员' END, CASE WHEN $7 IS NULL THEN NULL ELSE now() END)
                """);
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.NewGuid() });
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = volunteerId });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = (object?)station ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = row.CompletedAt.UtcDateTime });
            command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = row.Minutes });
            // Uncorrected rows were rated satisfied, corrected ones not yet followed up.
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Boolean, Value = row.Corrected is null ? true : DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Double, Value = (object?)row.Corrected ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = row.Corrected is null ? DBNull.Value : "测试更正" });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = category });
            await command.ExecuteNonQueryAsync();
        }
    }
}
