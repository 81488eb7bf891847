using Outreach.Tests.Live;
using System.Text.Json;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Npgsql;
using Outreach.Contracts;
using Outreach.Model;
using Outreach.Tests.Infrastructure;
using Outreach.Web.Dispatch;

namespace Outreach.Tests.Dispatch;

/// <summary>
/// Acknowledged means durable: when storage refuses a request's write, the caller hears an error, nothing of the
/// change is kept (not in the grain, not in the ledger, not in a volunteer's load), and a retry does it once.
/// Storage is made to fail by a trigger on the real table that raises a connection-class error for one request.
/// </summary>
[Collection(SystemCollection.Name)]
[Category(TestCategory.System)]
public sealed class DurabilityTests(SystemFixture fixture)
{
    private WebNode Web => fixture.Web;

    [Fact]
    public async Task Claim_WhenTheWriteFails_IsNotKept_AndTheVolunteerIsNotHeld()
    {
        var scene = new Scene(Web);
        using var op = await TestUsers.CreateAsync(Web, "operator");
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        using var volunteer = await scene.VolunteerAsync(scene.Offset(200, 0), capacity: 1);
        var id = await scene.RequestAsync(op.Client);

        await using (await FailWritesAsync($"NEW.id = '{id}' AND NEW.status = 'Claimed'"))
        {
            var (status, body) = await volunteer.Client.PostAsync($"/api/requests/{id}/claim", null);
            Assert.True(status == HttpStatusCode.ServiceUnavailable, $"a claim whose write failed answered {(int)status} {body}");

            var (_, request) = await coordinator.Client.GetAsync($"/api/requests/{id}");
            Assert.Equal("Offered", request!["status"]!.GetValue<string>());
            Assert.Null(request["assignedVolunteerId"]);
            Assert.Equal("Offered", await LedgerStatusAsync(id));
            Assert.Equal(0, await LoadOfAsync(coordinator, volunteer));
            var (_, offers) = await volunteer.Client.GetAsync("/api/volunteers/me/offers");
            Assert.Contains(offers!.AsArray(), o => o!["requestId"]!.GetValue<Guid>() == id);
        }

        var (retried, answer) = await volunteer.Client.PostAsync($"/api/requests/{id}/claim", null);
        Assert.True(retried == HttpStatusCode.OK, $"the retried claim answered {(int)retried} {answer}");
        Assert.Equal("Claimed", await LedgerStatusAsync(id));
        // The volunteer grain takes the claim on right after the answer (the reservation holds the place meanwhile).
        var load = 0;
        for (var wait = Stopwatch.StartNew(); load != 1 && wait.Elapsed < TimeSpan.FromSeconds(10); await Task.Delay(20))
            load = await LoadOfAsync(coordinator, volunteer);
        Assert.Equal(1, load);
    }

    [Fact]
    public async Task Claim_WhenAnotherActivationWroteTheRow_Answers503WithRetryAfter_AndTheRetryClaims()
    {
        var scene = new Scene(Web);
        using var op = await TestUsers.CreateAsync(Web, "operator");
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        using var volunteer = await scene.VolunteerAsync(scene.Offset(200, 0), capacity: 1);
        var id = await scene.RequestAsync(op.Client);
        // As a second activation of the request would (after a silo's death, for a moment): the row moves on under this one.
        await using (var db = NpgsqlDataSource.Create(fixture.System.ConnectionString))
        {
            await using var bump = db.CreateCommand("UPDATE outreach_requests SET state_etag = state_etag + 100 WHERE id = $1");
            bump.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            Assert.Equal(1, await bump.ExecuteNonQueryAsync());
        }

        using var conflicted = await volunteer.Client.Http.PostAsync($"/api/requests/{id}/claim", null);
        var (_, request) = await coordinator.Client.GetAsync($"/api/requests/{id}");
        var (retried, answer) = await volunteer.Client.PostAsync($"/api/requests/{id}/claim", null);

        Assert.True(conflicted.StatusCode == HttpStatusCode.ServiceUnavailable,
            $"a claim whose write lost the row answered {(int)conflicted.StatusCode} {await conflicted.Content.ReadAsStringAsync()}");
        Assert.NotNull(conflicted.Headers.RetryAfter);
        Assert.Equal("Offered", request!["status"]!.GetValue<string>());
        Assert.True(retried == HttpStatusCode.OK, $"the retried claim answered {(int)retried} {answer}");
        Assert.Equal("Claimed", await LedgerStatusAsync(id));
    }

    [Fact]
    public async Task ClaimOnTheLiveConnection_WhenTheWriteFails_Answers503WithTheWait_AndNothingChanges()
    {
        var scene = new Scene(Web);
        using var op = await TestUsers.CreateAsync(Web, "operator");
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        using var volunteer = await scene.VolunteerAsync(scene.Offset(200, 0), capacity: 1);
        await using var live = await LiveListener.ConnectAsync("volunteer", Web, volunteer.Client.Cookies);
        var id = await scene.RequestAsync(op.Client);

        await using (await FailWritesAsync($"NEW.id = '{id}' AND NEW.status = 'Claimed'"))
        {
            var reply = await live.InvokeAsync<JsonElement>("Claim", id);
            Assert.Equal(503, reply.GetProperty("status").GetInt32());
            Assert.True(reply.GetProperty("retryAfterSeconds").GetInt32() >= 1);
            var (_, request) = await coordinator.Client.GetAsync($"/api/requests/{id}");
            Assert.Equal("Offered", request!["status"]!.GetValue<string>());
            Assert.Equal("Offered", await LedgerStatusAsync(id));
            Assert.Equal(0, await LoadOfAsync(coordinator, volunteer));
        }

        var retried = await live.InvokeAsync<JsonElement>("Claim", id);
        Assert.Equal(200, retried.GetProperty("status").GetInt32());
        Assert.Equal("Claimed", await LedgerStatusAsync(id));
    }

    [Fact]
    public async Task Claim_RefusedWhileTheWinnersWriteWasOut_HearsTheOfferAgain_WhenThatWriteFails()
    {
        var scene = new Scene(Web);
        using var op = await TestUsers.CreateAsync(Web, "operator");
        using var first = await scene.VolunteerAsync(scene.Offset(200, 0), capacity: 1);
        using var second = await scene.VolunteerAsync(scene.Offset(0, 200), capacity: 1);
        await using var live = await LiveListener.ConnectAsync("second", Web, second.Client.Cookies);
        var id = await scene.RequestAsync(op.Client);
        bool IsThisOffer(JsonElement offer) => offer.GetProperty("requestId").GetGuid() == id;
        await live.WaitForAsync("offer", IsThisOffer, "the first offer");

        JsonElement refused;
        HttpStatusCode winner;
        // The first claim's write is slow, then fails: the second claim is refused while it is out.
        await using (await FailWritesAsync($"NEW.id = '{id}' AND NEW.status = 'Claimed'", after: TimeSpan.FromSeconds(2)))
        {
            var claiming = first.Client.PostAsync($"/api/requests/{id}/claim", null);
            await Task.Delay(TimeSpan.FromMilliseconds(700));
            refused = await live.InvokeAsync<JsonElement>("Claim", id);
            (winner, _) = await claiming;
        }
        // The request still waits for a claim: the refused volunteer's page is told so by a second offer.
        for (var wait = Stopwatch.StartNew(); live.Received.Count(m => m.Event == "offer" && IsThisOffer(m.Payload)) < 2 && wait.Elapsed < TimeSpan.FromSeconds(10);)
            await Task.Delay(20);
        var claimed = await live.InvokeAsync<JsonElement>("Claim", id);

        Assert.Equal(409, refused.GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, winner);
        Assert.Equal(2, live.Received.Count(m => m.Event == "offer" && IsThisOffer(m.Payload)));
        Assert.Equal(200, claimed.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Completed_WhenTheWriteFails_KeepsTheRequestOnSite_AndTheRetryCompletesAndFreesTheVolunteer()
    {
        var scene = new Scene(Web);
        using var op = await TestUsers.CreateAsync(Web, "operator");
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        using var volunteer = await scene.VolunteerAsync(scene.Offset(200, 0), capacity: 1);
        var id = await scene.RequestAsync(op.Client);
        await ExpectOk(volunteer.Client.PostAsync($"/api/requests/{id}/claim", null));
        await ExpectOk(volunteer.Client.PostAsync($"/api/requests/{id}/status", new StatusBody(RequestStatus.EnRoute)));
        await ExpectOk(volunteer.Client.PostAsync($"/api/requests/{id}/status", new StatusBody(RequestStatus.OnSite)));

        await using (await FailWritesAsync($"NEW.id = '{id}' AND NEW.status = 'Completed'"))
        {
            var (status, _) = await volunteer.Client.PostAsync($"/api/requests/{id}/status", new StatusBody(RequestStatus.Completed));
            Assert.True(status == HttpStatusCode.ServiceUnavailable, $"a completion whose write failed answered {(int)status}");
            var (_, request) = await coordinator.Client.GetAsync($"/api/requests/{id}");
            Assert.Equal("OnSite", request!["status"]!.GetValue<string>());
            Assert.Equal(1, await LoadOfAsync(coordinator, volunteer));
        }

        await ExpectOk(volunteer.Client.PostAsync($"/api/requests/{id}/status", new StatusBody(RequestStatus.Completed)));
        // A second report (its first answer lost, say) is not an error: the request is completed as asked.
        await ExpectOk(volunteer.Client.PostAsync($"/api/requests/{id}/status", new StatusBody(RequestStatus.Completed)));
        Assert.Equal("Completed", await LedgerStatusAsync(id));
        Assert.Equal(0, await LoadOfAsync(coordinator, volunteer));
    }

    [Fact]
    public async Task Submit_WhenTheWriteFails_StoresNothing_AndTheRetryWithTheSameKeyRecordsItOnce()
    {
        var scene = new Scene(Web);
        using var op = await TestUsers.CreateAsync(Web, "operator");
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        var key = "durable-" + Guid.NewGuid().ToString("N");
        var id = RequestIds.For(op.AccountId, key);

        await using (await FailWritesAsync($"NEW.id = '{id}'"))
        {
            var (status, body) = await scene.PostRequestAsync(op.Client, key: key);
            Assert.True(status == HttpStatusCode.ServiceUnavailable, $"an intake whose write failed answered {(int)status} {body}");
            // The same key again while storage still fails: never "created" from memory.
            var (again, _) = await scene.PostRequestAsync(op.Client, key: key);
            Assert.True(again == HttpStatusCode.ServiceUnavailable, $"the retry during the fault answered {(int)again}");
            var (found, _) = await coordinator.Client.GetAsync($"/api/requests/{id}");
            Assert.Equal(HttpStatusCode.NotFound, found);
            Assert.Null(await LedgerStatusAsync(id));
        }

        var (created, answer) = await scene.PostRequestAsync(op.Client, key: key);
        Assert.True(created == HttpStatusCode.Created, $"the retry after the fault answered {(int)created} {answer}");
        Assert.Equal(id, answer!["id"]!.GetValue<Guid>());
        Assert.Equal("Offered", await LedgerStatusAsync(id));
        await using var db = NpgsqlDataSource.Create(fixture.System.ConnectionString);
        await using var count = db.CreateCommand("SELECT count(*) FROM outreach_requests WHERE id = $1 AND state IS NOT NULL");
        count.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        Assert.Equal(1L, (long)(await count.ExecuteScalarAsync())!);
    }

    /// <summary>Makes every write of <c>outreach_requests</c> matching <paramref name="condition"/> fail as a lost connection would, until disposed.</summary>
    private Task<IAsyncDisposable> FailWritesAsync(string condition, TimeSpan? after = null) =>
        StorageFaults.FailWritesAsync(fixture.System.ConnectionString, "outreach_requests", condition, after);

    private async Task<string?> LedgerStatusAsync(Guid id)
    {
        await using var db = NpgsqlDataSource.Create(fixture.System.ConnectionString);
        await using var command = db.CreateCommand("SELECT status FROM outreach_requests WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        return (string?)await command.ExecuteScalarAsync();
    }

    private static async Task<int> LoadOfAsync(TestUser coordinator, TestUser volunteer)
    {
        var (status, body) = await coordinator.Client.GetAsync($"/api/volunteers/{volunteer.VolunteerId}");
        Assert.True(status == HttpStatusCode.OK, $"reading the volunteer: {(int)status} {body}");
        return body!["activeRequests"]?.AsArray().Count ?? 0;
    }

    private static async Task ExpectOk(Task<(HttpStatusCode Status, System.Text.Json.Nodes.JsonNode? Body)> call)
    {
        var (status, body) = await call;
        Assert.True(status == HttpStatusCode.OK, string.Create(CultureInfo.InvariantCulture, $"{(int)status} {body}"));
    }
}
