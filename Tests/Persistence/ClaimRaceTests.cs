using Npgsql;
using Outreach.Dispatch;
using Outreach.Model;
using Outreach.Tests.Infrastructure;
using Outreach.Volunteers;

namespace Outreach.Tests.Persistence;

/// <summary>
/// A claim race on the grain with the winner's write held up (its row locked by the test): the losers are all
/// answered "taken" while the winner still waits for its write, which alone answers once stored.
/// </summary>
[Collection(PostgresClusterCollection.Name)]
[Category(TestCategory.Grains)]
public sealed class ClaimRaceTests(PostgresClusterFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Losers_AreAnsweredWhileTheWinnersWriteIsHeld_TheWinnerOnlyOnceItIsStored()
    {
        // A place of its own (no stations, no other volunteers near), twelve volunteers on duty there.
        var place = new GeoPoint(-33.5 - Random.Shared.NextDouble(), 150.5 + Random.Shared.NextDouble());
        var racers = await RacersAsync(place, 12, "抢单");
        var requestId = Guid.NewGuid();
        var request = fixture.Client.GetGrain<IHelpRequestGrain>(requestId);
        var submitted = await request.SubmitAsync(new NewHelpRequest(null, "+8613803930001", HelpCategory.Meals, Urgency.Routine,
            place, "悉尼 测试路 1号", "抢单测试"), new Actor(Guid.NewGuid(), "operator"));
        Assert.Equal(racers.Count, submitted.Request.OfferedCount);

        // Hold the request's row: the winner's write waits on the lock.
        await using var db = new NpgsqlConnection(fixture.ConnectionString);
        await using var hold = await HoldRowAsync(db, requestId);

        var claims = racers.Select(v => (Volunteer: v, Answer: request.ClaimAsync(new Actor(Guid.NewGuid(), "racer", v)))).ToArray();
        // Before: every loser waited in the grain's queue for the winner's write, so none was answered while it was held.
        var until = DateTime.UtcNow + Patience;
        while (claims.Count(c => c.Answer.IsCompleted) < claims.Length - 1 && DateTime.UtcNow < until)
            await Task.Delay(50);
        var answeredWhileHeld = claims.Where(c => c.Answer.IsCompleted).ToArray();
        var waiting = claims.Where(c => !c.Answer.IsCompleted).ToArray();
        await hold.RollbackAsync();
        var answers = await Task.WhenAll(claims.Select(c => c.Answer)).WaitAsync(Patience);
        var outcomes = claims.Select((c, i) => (c.Volunteer, answers[i])).ToDictionary(p => p.Volunteer, p => p.Item2);

        Assert.Equal(claims.Length - 1, answeredWhileHeld.Length);
        Assert.All(answeredWhileHeld, c => Assert.Equal(DispatchOutcome.AlreadyTaken, outcomes[c.Volunteer].Outcome));
        // A loser is told the status the stored request is in, never sent its view (the family's address and phone).
        Assert.All(answeredWhileHeld, c => Assert.Null(outcomes[c.Volunteer].Request));
        Assert.All(answeredWhileHeld, c => Assert.Equal(RequestStatus.Offered, outcomes[c.Volunteer].RequestStatus));
        var winner = Assert.Single(waiting); // acknowledged only once stored
        Assert.Equal(DispatchOutcome.Ok, outcomes[winner.Volunteer].Outcome);
        Assert.Equal(RequestStatus.Claimed, outcomes[winner.Volunteer].Request!.Status);
        Assert.Equal(winner.Volunteer, (await request.GetAsync())!.AssignedVolunteerId);
    }

    /// <summary>
    /// The winner is answered with the whole request: its read is audited by the statement that stores the claim (one
    /// commit on the winner's path, not two), so while that write is held the row is not there either, and once the claim
    /// is stored it is — one row, the winner's. A loser's claim and the winner's repeat store nothing and audit nothing.
    /// </summary>
    [Fact]
    public async Task TheWinnersRead_IsAuditedByTheWriteThatStoresTheClaim_ALoserOrARepeatWritesNone()
    {
        var place = new GeoPoint(-34.5 - Random.Shared.NextDouble(), 151.5 + Random.Shared.NextDouble());
        var racers = await RacersAsync(place, 3, "审计");
        var requestId = Guid.NewGuid();
        var request = fixture.Client.GetGrain<IHelpRequestGrain>(requestId);
        await request.SubmitAsync(new NewHelpRequest(null, "+8613803930002", HelpCategory.Meals, Urgency.Routine,
            place, "悉尼 审计路 2号", "审计测试"), new Actor(Guid.NewGuid(), "operator"));
        static AuditLine Read(Guid volunteer) =>
            new(Guid.NewGuid(), $"racer-{volunteer:N}", "抢单人", "volunteer", "request.read", "request", "full view");

        await using var db = new NpgsqlConnection(fixture.ConnectionString);
        await using var hold = await HoldRowAsync(db, requestId);
        var claims = racers.Select(v => (Volunteer: v, Answer: request.ClaimAsync(new Actor(Guid.NewGuid(), "racer", v), Read(v)))).ToArray();
        var until = DateTime.UtcNow + Patience;
        while (claims.Count(c => c.Answer.IsCompleted) < claims.Length - 1 && DateTime.UtcNow < until)
            await Task.Delay(50);
        var rowsWhileHeld = await ReadRowsAsync(requestId);
        await hold.RollbackAsync();
        var answers = await Task.WhenAll(claims.Select(c => c.Answer)).WaitAsync(Patience);
        var won = Assert.Single(answers, a => a.Outcome == DispatchOutcome.Ok);
        var winner = won.Request!.AssignedVolunteerId!.Value;
        var rowsOnceStored = await ReadRowsAsync(requestId);
        var repeat = await request.ClaimAsync(new Actor(Guid.NewGuid(), "racer", winner), Read(winner));

        Assert.Empty(rowsWhileHeld);
        Assert.True(won.ReadAudited);
        Assert.All(answers.Where(a => a != won), a => Assert.False(a.ReadAudited));
        Assert.Equal([$"racer-{winner:N}"], rowsOnceStored);
        Assert.Equal((DispatchOutcome.Ok, false), (repeat.Outcome, repeat.ReadAudited)); // the web audits the repeat's read itself
        Assert.Equal([$"racer-{winner:N}"], await ReadRowsAsync(requestId));
    }

    /// <summary><paramref name="count"/> volunteers on duty a few metres apart at <paramref name="place"/>, each able to carry one request.</summary>
    private async Task<List<Guid>> RacersAsync(GeoPoint place, int count, string name)
    {
        var racers = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var id = Guid.NewGuid();
            var volunteer = fixture.Client.GetGrain<IVolunteerGrain>(id);
            Assert.NotNull(await volunteer.CreateAsync(new VolunteerProfile($"{name}{i}", "13900000100", [HelpCategory.Meals], TravelMode.Walk, null, Capacity: 1)));
            await volunteer.ReportPositionAsync(new GeoPoint(place.Lat + (i * 0.0002), place.Lon), 10);
            await volunteer.SetDutyAsync(true);
            racers.Add(id);
        }
        return racers;
    }

    /// <summary>Locks the request's row on <paramref name="db"/> until the returned transaction ends: its next write waits.</summary>
    private static async Task<NpgsqlTransaction> HoldRowAsync(NpgsqlConnection db, Guid requestId)
    {
        await db.OpenAsync();
        var hold = await db.BeginTransactionAsync();
        await using var lockRow = new NpgsqlCommand("SELECT 1 FROM outreach_requests WHERE id = $1 FOR UPDATE", db, hold);
        lockRow.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = requestId });
        await lockRow.ExecuteScalarAsync();
        return hold;
    }

    /// <summary>The logins of the request.read rows whose subject is <paramref name="requestId"/>.</summary>
    private async Task<string[]> ReadRowsAsync(Guid requestId)
    {
        await using var db = NpgsqlDataSource.Create(fixture.ConnectionString);
        await using var command = db.CreateCommand(
            "SELECT actor_login FROM outreach_audit WHERE subject_id = $1 AND action = 'request.read' AND detail = 'full view'");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = requestId });
        var logins = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            logins.Add(reader.GetString(0));
        return [.. logins];
    }
}
