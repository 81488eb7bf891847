using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;
using Outreach.Care;

namespace Outreach.Database;

/// <summary>A plan as stored and the version that guards it.</summary>
public sealed record StoredCarePlan(CarePlan Plan, long Version);

/// <summary>
/// The one owner of <c>outreach_care_plans</c>. The plan grains write through it (<see cref="SaveAsync"/>, only if the
/// row still has the version they read); the web reads a family's plans and the plans that still fire. The plan is
/// JSON (enums as words, dates as ISO dates); no other code has SQL against this table.
/// </summary>
public sealed class CarePlanTable(NpgsqlDataSource database)
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.General)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private const string LoadSql = "SELECT plan::text, version FROM outreach_care_plans WHERE id = $1";

    // Insert when expected is null and the row is not there; else update only the version read.
    private const string InsertSql = """
        INSERT INTO outreach_care_plans (id, worker_id, version, paused, deleted, plan, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6::jsonb, now())
        ON CONFLICT (id) DO NOTHING
        """;

    private const string UpdateSql = """
        UPDATE outreach_care_plans
        SET version = $3, paused = $4, deleted = $5, plan = $6::jsonb, updated_at = now()
        WHERE id = $1 AND worker_id = $2 AND version = $7
        """;

    private const string ForWorkerSql =
        "SELECT plan::text FROM outreach_care_plans WHERE worker_id = $1 AND NOT deleted ORDER BY id";

    private const string FiringSql =
        "SELECT plan::text FROM outreach_care_plans WHERE NOT deleted AND NOT paused ORDER BY id";

    /// <summary>The plan's row; null when there is none.</summary>
    public async Task<StoredCarePlan?> LoadAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(LoadSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new StoredCarePlan(Parse(reader.GetString(0)), reader.GetInt64(1)) : null;
    }

    /// <summary>
    /// Writes the plan as <paramref name="newVersion"/> if the row still has <paramref name="expectedVersion"/> (null: a
    /// new plan); false when someone else wrote it since.
    /// </summary>
    public async Task<bool> SaveAsync(CarePlan plan, long newVersion, long? expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await using var command = database.CreateCommand(expectedVersion is null ? InsertSql : UpdateSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = plan.Id });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = plan.WorkerId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = newVersion });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = plan.Data.Schedule.Paused });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = plan.Deleted });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(plan, _json) });
        if (expectedVersion is { } expected)
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = expected });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>A family's plans (not deleted).</summary>
    public async Task<CarePlan[]> ForWorkerAsync(Guid workerId, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(ForWorkerSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = workerId });
        return await ReadAllAsync(command, cancellationToken);
    }

    /// <summary>Every plan that still fires (neither paused nor deleted).</summary>
    public async Task<CarePlan[]> FiringAsync(CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(FiringSql);
        return await ReadAllAsync(command, cancellationToken);
    }

    private static async Task<CarePlan[]> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<CarePlan>();
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(Parse(reader.GetString(0)));
        return [.. rows];
    }

    private static CarePlan Parse(string json) =>
        JsonSerializer.Deserialize<CarePlan>(json, _json) ?? throw new InvalidDataException("A stored care plan is null.");
}
