using Npgsql;
using Outreach.Database;
using Outreach.Model;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Dispatch;

/// <summary>
/// The one statement that stores a request: an intake's insert-only form never touches a row that is already there,
/// and the statement that makes offers says which of the volunteers offered have a push device (so the offer's push
/// needs no query of its own).
/// </summary>
[Category(TestCategory.Database)]
public sealed class RequestSaveTests() : LedgerDatabaseTests("save")
{
    private static readonly DateTimeOffset _t0 = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task InsertOnly_WritesANewRow_AndLeavesAStoredOneAsItWas()
    {
        var table = new RequestTable(Db.DataSource);
        var view = RequestViews.Create(_t0, RequestStatus.Offered);

        var first = await table.SaveAsync(view, """{"n":1}"""u8.ToArray(), 1, null, null, insertOnly: true);
        var again = await table.SaveAsync(view with { Version = 9 }, """{"n":2}"""u8.ToArray(), 1, null, null, insertOnly: true);
        // The same row through the ordinary form, expecting no tag: a stored row with a tag is not overwritten either.
        var overwrite = await table.SaveAsync(view with { Version = 9 }, """{"n":3}"""u8.ToArray(), 1, null, null);

        Assert.True(first.Saved);
        Assert.False(again.Saved);
        Assert.False(overwrite.Saved);
        var row = await table.LoadAsync(view.Id);
        Assert.Equal(("""{"n":1}""", 1L), (row.StateJson, row.ETag));
        Assert.Equal(view.Version, await ScalarAsync<int>("SELECT version FROM outreach_requests WHERE id = $1", view.Id));
    }

    [Fact]
    public async Task AnAuditRowGivenWithTheSave_IsWrittenOnlyIfTheRequestIs()
    {
        var table = new RequestTable(Db.DataSource);
        var view = RequestViews.Create(_t0, RequestStatus.Offered);
        var operatorId = Guid.NewGuid();
        var row = new AuditWrite(operatorId, "op1", "接线员", "operator", "request.create", "request", null, "intake");

        var first = await table.SaveAsync(view, "{}"u8.ToArray(), 1, null, null, insertOnly: true, audit: row);
        var again = await table.SaveAsync(view, "{}"u8.ToArray(), 1, null, null, insertOnly: true, audit: row with { Detail = "again" });

        Assert.True(first.Saved);
        Assert.False(again.Saved);
        await using var command = Db.DataSource.CreateCommand(
            "SELECT actor_id, actor_login, actor_roles, action, subject_kind, detail FROM outreach_audit WHERE subject_id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = view.Id });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal((operatorId, "op1", "operator", "request.create", "request", "intake"),
            (reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5)));
        Assert.False(await reader.ReadAsync());
    }

    [Fact]
    public async Task ASaveThatMakesOffers_SaysWhichOfTheVolunteersOfferedHaveAPushDevice()
    {
        var table = new RequestTable(Db.DataSource);
        var (withDevice, withTwo, without, notOffered) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await SubscribeAsync(withDevice, "https://push.example.net/a");
        await SubscribeAsync(withTwo, "https://push.example.net/b");
        await SubscribeAsync(withTwo, "https://push.example.net/c");
        await SubscribeAsync(notOffered, "https://push.example.net/d");
        var view = RequestViews.Create(_t0, RequestStatus.Offered);
        OpenOffer[] offers = [.. new[] { withDevice, withTwo, without }.Select(v => new OpenOffer(v, 5, 900, _t0))];

        var saved = await table.SaveAsync(view, "{}"u8.ToArray(), 1, null, new OfferChange([], offers));
        var noOffers = await table.SaveAsync(view with { Version = view.Version + 1 }, "{}"u8.ToArray(), 2, 1, null);
        var refused = await table.SaveAsync(view, "{}"u8.ToArray(), 2, 1, new OfferChange([], offers)); // a stale tag: nothing written

        Assert.True(saved.Saved);
        Assert.Equal(new HashSet<Guid> { withDevice, withTwo }, saved.OfferedWithDevices);
        Assert.True(noOffers.Saved);
        Assert.Empty(noOffers.OfferedWithDevices);
        Assert.False(refused.Saved);
        Assert.Empty(refused.OfferedWithDevices);
    }

    /// <summary>The statement with everything at once (offers made and withdrawn, and an audit row): all of it, or nothing.</summary>
    [Fact]
    public async Task ASaveWithOffersAndAnAuditRow_WritesBoth_AndAStaleOneWritesNeither()
    {
        var table = new RequestTable(Db.DataSource);
        var (kept, withdrawn, added) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await SubscribeAsync(added, "https://push.example.net/e");
        var view = RequestViews.Create(_t0, RequestStatus.Offered);
        var row = new AuditWrite(Guid.NewGuid(), "vol1", "志愿者", "volunteer", "request.read", "request", null, "full view");
        Assert.True((await table.SaveAsync(view, "{}"u8.ToArray(), 1, null,
            new OfferChange([], [new OpenOffer(kept, 5, 900, _t0), new OpenOffer(withdrawn, 6, 900, _t0)]))).Saved);

        var stray = Guid.NewGuid();
        var change = new OfferChange([withdrawn], [new OpenOffer(added, 4, 900, _t0)]);
        var stale = await table.SaveAsync(view with { Version = 2 }, "{}"u8.ToArray(), 2, 7,
            new OfferChange([kept], [new OpenOffer(stray, 3, 900, _t0)]), audit: row with { Detail = "stale" });
        var saved = await table.SaveAsync(view with { Version = 2 }, "{}"u8.ToArray(), 2, 1, change, audit: row);

        Assert.False(stale.Saved);
        Assert.True(saved.Saved);
        Assert.Equal(new HashSet<Guid> { added }, saved.OfferedWithDevices);
        Assert.Equal(2L, await ScalarAsync<long>("SELECT count(*) FROM outreach_offers WHERE request_id = $1", view.Id));
        Assert.Equal(0L, await ScalarAsync<long>($"SELECT count(*) FROM outreach_offers WHERE request_id = $1 AND volunteer_id IN ('{withdrawn}', '{stray}')", view.Id));
        Assert.Equal(1L, await ScalarAsync<long>($"SELECT count(*) FROM outreach_offers WHERE request_id = $1 AND volunteer_id = '{kept}'", view.Id));
        Assert.Equal("full view", await ScalarAsync<string>("SELECT string_agg(detail, ',') FROM outreach_audit WHERE subject_id = $1", view.Id));
    }

    private async Task SubscribeAsync(Guid volunteer, string endpoint)
    {
        await using var command = Db.DataSource.CreateCommand("""
            INSERT INTO outreach_push_subscriptions (endpoint, volunteer_id, p256dh, auth, session, created_at, updated_at)
            VALUES ($1, $2, 'key', 'auth', NULL, now(), now())
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = endpoint });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = volunteer });
        await command.ExecuteNonQueryAsync();
    }

    private async Task<T> ScalarAsync<T>(string sql, Guid id)
    {
        await using var command = Db.DataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
