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
        var racers = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            var id = Guid.NewGuid();
            var volunteer = fixture.Client.GetGrain<IVolunteerGrain>(id);
            Assert.NotNull(await volunteer.CreateAsync(new VolunteerProfile($"抢单{i}", "13900000100", [HelpCategory.Meals], TravelMode.Walk, null, Capacity: 1)));
            await volunteer.ReportPositionAsync(new GeoPoint(place.Lat + (i * 0.0002), place.Lon), 10);
            await volunteer.SetDutyAsync(true);
            racers.Add(id);
        }
        var requestId = Guid.NewGuid();
        var request = fixture.Client.GetGrain<IHelpRequestGrain>(requestId);
        var submitted = await request.SubmitAsync(new NewHelpRequest(null, "+8613803930001", HelpCategory.Meals, Urgency.Routine,
            place, "悉尼 测试路 1号", "抢单测试"), new Actor(Guid.NewGuid(), "operator"));
        Assert.Equal(racers.Count, submitted.Request.OfferedCount);

        // Hold the request's row: the winner's write waits on the lock.
        await using var db = new NpgsqlConnection(fixture.ConnectionString);
        await db.OpenAsync();
        await using var hold = await db.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM outreach_requests WHERE id = $1 FOR UPDATE", db, hold))
        {
            lockRow.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = requestId });
            await lockRow.ExecuteScalarAsync();
        }

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
}
