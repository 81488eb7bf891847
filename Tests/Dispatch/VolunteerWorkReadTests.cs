using System.Text.Json;
using Npgsql;
using Outreach.Database;
using Outreach.Dispatch;
using Outreach.Model;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Dispatch;

/// <summary>
/// A page's reconnect reads the volunteer's open offers and current jobs. The reads must touch only that volunteer's
/// rows however many requests are open — also under a plan PostgreSQL made while the tables were empty (a connection
/// prepares a statement it has run five times and keeps that plan until the next ANALYZE; on a new database that is
/// exactly when a web node starts).
/// </summary>
[Category(TestCategory.Database)]
public sealed class VolunteerWorkReadTests() : LedgerDatabaseTests("work")
{
    private const int Others = 1500;
    private static readonly DateTimeOffset _t0 = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly HelpCategory[] Categories = [HelpCategory.Meals, HelpCategory.Medicine, HelpCategory.Groceries];

    [Fact]
    public async Task OffersAndJobs_ReadOnlyTheVolunteersRows_UnderAPlanMadeOnEmptyTables()
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        await ExecuteAsync(connection, "SET plan_cache_mode = force_generic_plan");
        await ExecuteAsync(connection, $"PREPARE offers(uuid) AS {RequestTable.OffersSql}");
        await ExecuteAsync(connection, $"PREPARE assigned(uuid) AS {RequestTable.AssignedSql}");
        var table = new RequestTable(Db.DataSource);
        var volunteer = Guid.NewGuid();

        // Many open requests offered to others, some claimed by others; five offered to the volunteer, two theirs.
        await Parallel.ForEachAsync(Enumerable.Range(0, Others), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            var view = RequestViews.Create(_t0.AddSeconds(i), i % 5 == 0 ? RequestStatus.Claimed : RequestStatus.Offered,
                claimedAfter: i % 5 == 0 ? 1 : null);
            await SaveAsync(table, view, view.Status == RequestStatus.Offered ? [.. Enumerable.Range(0, 10).Select(_ => Guid.NewGuid())] : [], ct);
        });
        var mine = new List<HelpRequestView>();
        for (var i = 0; i < 5; i++)
        {
            var view = RequestViews.Create(_t0.AddMinutes(60 + i), category: Categories[i % Categories.Length]);
            mine.Add(view);
            await SaveAsync(table, view, [Guid.NewGuid(), volunteer, Guid.NewGuid()], CancellationToken.None);
        }
        foreach (var i in new[] { 1, 2 })
        {
            var view = RequestViews.Create(_t0.AddMinutes(90 + i), RequestStatus.Claimed, claimedAfter: i) with { AssignedVolunteerId = volunteer };
            await SaveAsync(table, view, [], CancellationToken.None);
        }

        var (offersRead, offerRows) = await ReadAsync(connection, "offers", volunteer);
        var (jobsRead, jobRows) = await ReadAsync(connection, "assigned", volunteer);
        var (offers, assigned) = await table.WorkOfAsync(volunteer);

        Assert.Equal(5, offerRows);
        Assert.True(offersRead <= 15, $"the offers read looked at {offersRead} rows for the volunteer's 5 among {Others} open requests");
        Assert.Equal(2, jobRows);
        Assert.True(jobsRead <= 6, $"the jobs read looked at {jobsRead} rows for the volunteer's 2 among {Others / 5} claimed requests");
        // Newest first, each with its request's own columns.
        Assert.Equal(mine.OrderByDescending(v => v.CreatedAt).Select(v => (v.Id, v.Category, v.Urgency, v.CreatedAt)),
            offers.Select(o => (o.RequestId, o.Category, o.Urgency, o.CreatedAt)));
        Assert.All(offers, o => Assert.Equal(GeoMath.Approximate(mine[0].Position), o.ApproxPosition));
        Assert.Equal(2, assigned.Length);
    }

    [Fact]
    public async Task AClaimedRequest_LeavesNoOfferRows_AndANewRoundWritesThemAgain()
    {
        var table = new RequestTable(Db.DataSource);
        var volunteer = Guid.NewGuid();
        var offered = RequestViews.Create(_t0);
        await SaveAsync(table, offered, [volunteer], CancellationToken.None);

        var claimed = offered with { Status = RequestStatus.Claimed, AssignedVolunteerId = Guid.NewGuid(), Version = 2 };
        Assert.True((await table.SaveAsync(claimed, "{}"u8.ToArray(), 2, 1, new OfferChange([volunteer], []))).Saved);
        var (afterClaim, _) = await table.WorkOfAsync(volunteer);
        var again = claimed with { Status = RequestStatus.Offered, AssignedVolunteerId = null, Version = 3 };
        Assert.True((await table.SaveAsync(again, "{}"u8.ToArray(), 3, 2, new OfferChange([], [new OpenOffer(volunteer, 4, 800, _t0.AddMinutes(9))]))).Saved);
        var (afterRound, _) = await table.WorkOfAsync(volunteer);

        Assert.Empty(afterClaim);
        var offer = Assert.Single(afterRound);
        Assert.Equal((offered.Id, offered.Category, 4.0, 800.0), (offer.RequestId, offer.Category, offer.EtaMinutes, offer.DistanceM));
    }

    private static async Task SaveAsync(RequestTable table, HelpRequestView view, Guid[] offeredTo, CancellationToken cancellationToken)
    {
        var added = offeredTo.Select(v => new OpenOffer(v, 7, 1200, view.CreatedAt)).ToArray();
        Assert.True((await table.SaveAsync(view, "{}"u8.ToArray(), 1, null, added.Length == 0 ? null : new OfferChange([], added),
            cancellationToken: cancellationToken)).Saved);
    }

    /// <summary>Runs a prepared read under EXPLAIN ANALYZE: the rows its scans looked at, and the rows it returned.</summary>
    private static async Task<(long Examined, long Returned)> ReadAsync(NpgsqlConnection connection, string statement, Guid volunteer)
    {
        await using var command = new NpgsqlCommand($"EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE {statement}('{volunteer}')", connection);
        var plan = JsonDocument.Parse((string)(await command.ExecuteScalarAsync())!).RootElement[0].GetProperty("Plan");
        return (PlanRows.Examined(plan), plan.GetProperty("Actual Rows").GetInt64());
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
