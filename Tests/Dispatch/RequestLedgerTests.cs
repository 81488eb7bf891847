using Outreach.Database;
using Outreach.Dispatch;
using Outreach.Model;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Dispatch;

/// <summary>The request ledger against a real PostgreSQL: what one upsert keeps, and the lists read back from it.</summary>
[Category(TestCategory.Database)]
public sealed class RequestLedgerTests() : LedgerDatabaseTests("ledger")
{
    private static readonly DateTimeOffset _t0 = new(2026, 11, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Record_NewRequest_RowCarriesTheViewsValues()
    {
        var station = Guid.NewGuid();
        var view = RequestViews.Create(_t0, RequestStatus.Completed, HelpCategory.Medicine, station, escalated: true,
            claimedAfter: 2, onSiteAfter: 12, completedAfter: 40, version: 7,
            followUp: new FollowUpRecord(_t0.AddHours(2), "operator", Satisfied: true, Rating: 5, Note: "很好"));

        await Db.Ledger.RecordLedgerRowAsync(view);

        var row = Assert.Single(await Db.Queries.ListAsync(RequestTable.All, null, null, 10));
        Assert.Equal(view.Id, row.Id);
        Assert.Equal(7, row.Version);
        Assert.Equal("Completed", row.Status);
        Assert.True(row.Escalated);
        Assert.Equal("Medicine", row.Category);
        Assert.Equal("Urgent", row.Urgency);
        Assert.Equal(view.Position, row.Position);
        Assert.Equal(station, row.StationId);
        Assert.Equal(view.WorkerId, row.WorkerId);
        Assert.Equal(view.CreatedBy, row.CreatedBy);
        Assert.Equal(view.AssignedVolunteerId, row.AssignedVolunteerId);
        Assert.Equal(view.OfferedCount, row.OfferedCount);
        Assert.Equal(view.CircleMinutes, row.CircleMinutes);
        Assert.Equal(view.CreatedAt, row.CreatedAt);
        Assert.Equal(view.ClaimedAt, row.ClaimedAt);
        Assert.Equal(view.EnRouteAt, row.EnRouteAt);
        Assert.Equal(view.OnSiteAt, row.OnSiteAt);
        Assert.Equal(view.CompletedAt, row.CompletedAt);
        Assert.Equal(view.ClosedAt, row.ClosedAt);
        Assert.Equal(view.DeadlineAt, row.DeadlineAt);
        Assert.True(row.FollowUpSatisfied);
        Assert.Equal(5, row.FollowUpRating);
    }

    [Fact]
    public async Task Record_OlderVersionArrivingLate_KeepsTheNewerRow()
    {
        var id = Guid.NewGuid();
        var v1 = RequestViews.Create(_t0, RequestStatus.Offered, id: id, version: 1);
        var v2 = RequestViews.Create(_t0, RequestStatus.Claimed, id: id, version: 2, claimedAfter: 3);

        await Db.RecordAsync(v2, v1);

        var row = Assert.Single(await Db.Queries.ListAsync(RequestTable.All, null, null, 10));
        Assert.Equal(2, row.Version);
        Assert.Equal("Claimed", row.Status);
        Assert.Equal(_t0.AddMinutes(3), row.ClaimedAt);
    }

    [Fact]
    public async Task Record_NewerVersion_ReplacesTheRow()
    {
        var id = Guid.NewGuid();
        var v1 = RequestViews.Create(_t0, RequestStatus.Claimed, id: id, version: 1, claimedAfter: 3);
        var v2 = RequestViews.Create(_t0, RequestStatus.Cancelled, id: id, version: 2);

        await Db.RecordAsync(v1, v2, v2);

        var row = Assert.Single(await Db.Queries.ListAsync(RequestTable.All, null, null, 10));
        Assert.Equal(2, row.Version);
        Assert.Equal("Cancelled", row.Status);
        Assert.Null(row.ClaimedAt);
        Assert.Null(row.AssignedVolunteerId);
    }

    [Fact]
    public async Task Ledger_KeepsNoPersonalData()
    {
        await Db.Ledger.RecordLedgerRowAsync(RequestViews.Create(_t0, RequestStatus.Claimed, claimedAfter: 1));

        var columns = new List<string>();
        await using (var command = Db.DataSource.CreateCommand(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'outreach_requests'"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                columns.Add(reader.GetString(0));
        }
        Assert.DoesNotContain(columns, c => c.Contains("address", StringComparison.Ordinal)
            || c.Contains("phone", StringComparison.Ordinal) || c.Contains("description", StringComparison.Ordinal)
            || c.Contains("name", StringComparison.Ordinal));

        await using var text = Db.DataSource.CreateCommand("SELECT r::text FROM outreach_requests r");
        var row = (string?)await text.ExecuteScalarAsync();
        Assert.NotNull(row);
        Assert.DoesNotContain(RequestViews.CallerPhone, row, StringComparison.Ordinal);
        Assert.DoesNotContain("胜利路", row, StringComparison.Ordinal);
        Assert.DoesNotContain("13800001111", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Open_ReturnsOnlyOfferedClaimedEnRouteOnSite_NewestFirst()
    {
        var statuses = Enum.GetValues<RequestStatus>().Where(s => s != RequestStatus.New).ToArray();
        var views = statuses.Select((s, i) => RequestViews.Create(_t0.AddMinutes(i), s)).ToArray();
        await Db.RecordAsync(views);

        var open = await Db.Queries.ListAsync(RequestTable.Open, null, null, 500);
        var all = await Db.Queries.ListAsync(RequestTable.All, null, null, 500);

        Assert.Equal(["OnSite", "EnRoute", "Claimed", "Offered"], open.Select(r => r.Status));
        Assert.Equal(views.Reverse().Select(v => v.Id), all.Select(r => r.Id));
    }

    [Fact]
    public async Task List_ByStationAndSince_ReturnsOnlyThatStationsNewerRequests()
    {
        var north = Guid.NewGuid();
        var south = Guid.NewGuid();
        var oldNorth = RequestViews.Create(_t0, RequestStatus.Offered, stationId: north);
        var newNorth = RequestViews.Create(_t0.AddHours(1), RequestStatus.Claimed, stationId: north, claimedAfter: 1);
        var doneNorth = RequestViews.Create(_t0.AddHours(2), RequestStatus.Completed, stationId: north, claimedAfter: 1, onSiteAfter: 5, completedAfter: 9);
        var newSouth = RequestViews.Create(_t0.AddHours(1), RequestStatus.Offered, stationId: south);
        var noStation = RequestViews.Create(_t0.AddHours(1), RequestStatus.Offered);
        await Db.RecordAsync(oldNorth, newNorth, doneNorth, newSouth, noStation);

        var northOpen = await Db.Queries.ListAsync(RequestTable.Open, north, null, 500);
        var northSince = await Db.Queries.ListAsync(RequestTable.All, north, _t0.AddMinutes(30), 500);
        var allSince = await Db.Queries.ListAsync(RequestTable.Open, null, _t0.AddHours(1), 500);

        Assert.Equal([newNorth.Id, oldNorth.Id], northOpen.Select(r => r.Id));
        Assert.Equal([doneNorth.Id, newNorth.Id], northSince.Select(r => r.Id));
        Assert.Equal(
            new[] { newNorth.Id, newSouth.Id, noStation.Id }.Order(),
            allSince.Select(r => r.Id).Order());
    }

    [Fact]
    public async Task List_WithLimit_ReturnsTheNewestRowsOnly()
    {
        var views = Enumerable.Range(0, 5).Select(i => RequestViews.Create(_t0.AddMinutes(i))).ToArray();
        await Db.RecordAsync(views);

        var rows = await Db.Queries.ListAsync(RequestTable.Open, null, null, 2);

        Assert.Equal([views[4].Id, views[3].Id], rows.Select(r => r.Id));
    }

    [Fact]
    public async Task List_UnknownStatusWord_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Db.Queries.ListAsync("late", null, null, 10));
        Assert.True(RequestTable.IsStatusFilter("open"));
        Assert.False(RequestTable.IsStatusFilter("OPEN")); // exact words only
        Assert.False(RequestTable.IsStatusFilter("Offered"));
    }

    [Fact]
    public async Task Due_ListsTheOpenRequestsWhoseDeadlinePassed_EarliestFirst_AndTheSharesSplitThemWithoutOverlap()
    {
        var now = _t0.AddHours(2);
        var due = Enumerable.Range(0, 60)
            .Select(i => (i % 2 == 0 ? RequestViews.Create(_t0.AddMinutes(i)) : RequestViews.Create(_t0.AddMinutes(i), RequestStatus.Claimed, claimedAfter: 1))
                with { DeadlineAt = now.AddMinutes(-60 + i) })
            .ToArray();
        var notYet = RequestViews.Create(_t0) with { DeadlineAt = now.AddSeconds(1) };
        var noDeadline = RequestViews.Create(_t0, RequestStatus.EnRoute, claimedAfter: 1) with { DeadlineAt = null };
        var closedWithAStaleOne = RequestViews.Create(_t0, RequestStatus.Completed, claimedAfter: 1, onSiteAfter: 5, completedAfter: 9)
            with { DeadlineAt = now.AddMinutes(-90) };
        await Db.RecordAsync([.. due, notYet, noDeadline, closedWithAStaleOne]);
        var table = new RequestTable(Db.DataSource);

        var all = await table.DueAsync(now, 1, 0, 500);
        var first = await table.DueAsync(now, 1, 0, 5);
        var shares = await Task.WhenAll(Enumerable.Range(0, 3).Select(k => table.DueAsync(now, 3, k, 500)));

        Assert.Equal(due.Select(v => v.Id), all);
        Assert.Equal(due.Take(5).Select(v => v.Id), first);
        Assert.Equal(due.Select(v => v.Id).Order(), shares.SelectMany(s => s).Order()); // every one in exactly one share
        Assert.All(shares, share => Assert.NotEmpty(share));
    }

    [Fact]
    public async Task Schema_HasTheLedgerIndexes()
    {
        await using var command = Db.DataSource.CreateCommand(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'outreach_requests' ORDER BY indexname");
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            names.Add(reader.GetString(0));

        Assert.Equal(
            ["ix_outreach_requests_assigned_open", "ix_outreach_requests_completed_at", "ix_outreach_requests_created_at",
             "ix_outreach_requests_deadline", "ix_outreach_requests_open_page", "ix_outreach_requests_station", "outreach_requests_pkey"],
            names);
    }
}
