using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Outreach.Database;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Database;

/// <summary>Migration 0010 moves the trails the family file grains kept in their state (≤ 200 changes each) into the audit, once.</summary>
[Category(TestCategory.Database)]
public sealed class AuditMigrationTests
{
    [Fact]
    public async Task StoredFileTrails_AreCopiedIntoTheAudit_Once_WithNameAndLoginApart()
    {
        var connectionString = await TestDatabase.CreateAsync("auditmove");
        try
        {
            await new SchemaMigrator(connectionString, NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
            var fileId = Guid.NewGuid();
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            // A worker row as the grain wrote it before 0010 (state name "worker", a Guid key), with its own trail.
            await using (var insert = new NpgsqlCommand("""
                INSERT INTO orleansstorage (serviceid, graintypestring, grainidn0, grainidn1, grainidextensionstring,
                                            grainidhash, graintypehash, payloadbinary, version)
                VALUES ('outreach', 'worker', 1, 2, NULL, 0, 0, convert_to($1, 'UTF8'), 1)
                """, connection))
            {
                insert.Parameters.Add(new NpgsqlParameter<string>
                {
                    TypedValue = """
                        {"File":{"Id":"FILE_ID","Data":{"WorkerName":"李强","WorkerPhone":"13803930000","FamilyMembers":[],"Addresses":[]},
                         "Phones":["+8613803930000"],"CreatedAt":"2026-01-01T08:00:00+00:00","UpdatedAt":"2026-01-02T08:00:00+00:00",
                         "Changes":[{"At":"2026-01-01T08:00:00+00:00","Actor":"王丽 (operator)","What":"created"},
                                    {"At":"2026-01-02T08:00:00+00:00","Actor":"张建国 (coordinator)","What":"workerPhone, notes"}]}}
                        """.Replace("FILE_ID", fileId.ToString(), StringComparison.Ordinal),
                });
                await insert.ExecuteNonQueryAsync();
            }

            // 0010 again, past the journal, twice: as if it ran now, and once more (it must not copy twice).
            var script = ReadScript("0010_audit.sql");
            for (var i = 0; i < 2; i++)
            {
                await using var again = new NpgsqlCommand(script, connection);
                await again.ExecuteNonQueryAsync();
            }

            await using var read = new NpgsqlCommand("""
                SELECT action, actor_name, actor_login, detail, at FROM outreach_audit WHERE subject_id = $1 ORDER BY at
                """, connection);
            read.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = fileId });
            var rows = new List<(string Action, string Name, string Login, string Detail, DateTimeOffset At)>();
            await using (var reader = await read.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                    rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4)));
            }
            Assert.Equal(
                [("file.create", "王丽", "operator", "created"), ("file.update", "张建国", "coordinator", "workerPhone, notes")],
                rows.Select(r => (r.Action, r.Name, r.Login, r.Detail)));
            Assert.Equal(new DateTimeOffset(2026, 1, 2, 8, 0, 0, TimeSpan.Zero), rows[1].At);
        }
        finally
        {
            await TestDatabase.DropAsync(connectionString);
        }
    }

    private static string ReadScript(string name)
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith(name, StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
        return reader.ReadToEnd();
    }
}
