using System.Security.Claims;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Outreach.Database;
using Outreach.Tests.Infrastructure;
using Outreach.Web.Audit;
using Outreach.Web.Auth;

namespace Outreach.Tests.Database;

/// <summary>The audit's group commit: many callers at once, each answered only when its own rows are stored, one bad row failing only its caller.</summary>
[Category(TestCategory.Database)]
public sealed class AuditLogTests
{
    [Fact]
    public async Task CallersAtOnce_EachReturnsWithItsRowsStored_ABadRowFailsOnlyItsCaller()
    {
        var connectionString = await TestDatabase.CreateAsync("auditgroup");
        try
        {
            await new SchemaMigrator(connectionString, NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
            await using var database = NpgsqlDataSource.Create(connectionString);
            using var audit = new AuditLog(database, NullLogger<AuditLog>.Instance);
            var actor = new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString()), new Claim(OutreachClaims.Login, "op1"),
                 new Claim(ClaimTypes.Name, "王丽"), new Claim(ClaimTypes.Role, "operator")], "test"));

            // 80 callers with two rows each, started together; caller 40's detail holds a NUL, which PostgreSQL's text refuses.
            var subjects = Enumerable.Range(0, 80).Select(_ => Guid.NewGuid()).ToArray();
            var calls = subjects.Select((subject, i) => Task.Run(() => audit.RecordAsync(actor,
                [new AuditEntry(AuditActions.RequestRead, AuditActions.Request, subject, i == 40 ? "bad\0row" : "first"),
                 new AuditEntry(AuditActions.RequestRead, AuditActions.Request, subject, "second")]))).ToArray();
            var outcomes = await Task.WhenAll(calls.Select(async call =>
            {
                try
                {
                    await call;
                    return null;
                }
                catch (PostgresException e)
                {
                    return e;
                }
            }));

            Assert.NotNull(outcomes[40]);
            Assert.All(outcomes.Where((_, i) => i != 40), Assert.Null);
            await using var read = database.CreateCommand("SELECT subject_id, count(*) FROM outreach_audit WHERE actor_login = 'op1' GROUP BY subject_id");
            var stored = new Dictionary<Guid, long>();
            await using (var reader = await read.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                    stored[reader.GetGuid(0)] = reader.GetInt64(1);
            }
            Assert.Equal(79, stored.Count);
            Assert.All(subjects.Where((_, i) => i != 40), s => Assert.Equal(2, stored.GetValueOrDefault(s)));
            Assert.False(stored.ContainsKey(subjects[40]), "the refused caller's first row was not stored either");
        }
        finally
        {
            await TestDatabase.DropAsync(connectionString);
        }
    }
}
