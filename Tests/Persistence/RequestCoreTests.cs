using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;
using Orleans.Storage;
using Outreach.Dispatch;
using Outreach.Files;
using Outreach.Grains.Dispatch;
using Outreach.Model;
using Outreach.Tests.Infrastructure;
using Outreach.Volunteers;

namespace Outreach.Tests.Persistence;

/// <summary>
/// The request core below the API: volunteers' loads follow the requests (the truth), and requests stored
/// before the state moved into the ledger row are still found and move there on their next change.
/// </summary>
[Collection(PostgresClusterCollection.Name)]
[Category(TestCategory.Grains)]
public sealed class RequestCoreTests(PostgresClusterFixture fixture)
{
    [Fact]
    public async Task Reserve_WhenTheLoadCountsARequestThatIsNotTheirs_DropsItAndHasRoom()
    {
        var volunteer = fixture.Client.GetGrain<IVolunteerGrain>(Guid.NewGuid());
        Assert.NotNull(await volunteer.CreateAsync(new VolunteerProfile("负载", "13900000001", [HelpCategory.Meals], TravelMode.Walk, null, Capacity: 1)));
        // A load left behind: a request that does not exist (its let-go never arrived, say).
        var ghost = Guid.NewGuid();
        await volunteer.TakeOnAsync(ghost);
        Assert.Equal([ghost], (await volunteer.GetAsync())!.ActiveRequests!);

        var reservation = await volunteer.ReserveAsync(Guid.NewGuid(), force: false);

        Assert.True(reservation.HasRoom);
        Assert.Empty((await volunteer.GetAsync())!.ActiveRequests!);
    }

    [Fact]
    public async Task Reserve_CountsPlacesHeldForClaimsUnderWay_AndACancelledPlaceIsFreeAgain()
    {
        var volunteer = fixture.Client.GetGrain<IVolunteerGrain>(Guid.NewGuid());
        Assert.NotNull(await volunteer.CreateAsync(new VolunteerProfile("预留", "13900000002", [HelpCategory.Meals], TravelMode.Walk, null, Capacity: 1)));
        var first = Guid.NewGuid();

        Assert.True((await volunteer.ReserveAsync(first, force: false)).HasRoom);
        Assert.False((await volunteer.ReserveAsync(Guid.NewGuid(), force: false)).HasRoom);
        var forced = Guid.NewGuid();
        Assert.True((await volunteer.ReserveAsync(forced, force: true)).HasRoom);
        Assert.True((await volunteer.ReserveAsync(first, force: false)).HasRoom); // the same request again

        await volunteer.CancelReservationAsync(first);
        Assert.False((await volunteer.ReserveAsync(Guid.NewGuid(), force: false)).HasRoom); // the forced one still holds it
        await volunteer.CancelReservationAsync(forced);
        Assert.True((await volunteer.ReserveAsync(Guid.NewGuid(), force: false)).HasRoom);
    }

    [Fact]
    public async Task ARequestsDeadline_IsInItsRowAlone_NoReminderIsWritten_AndASweepBeforeItChangesNothing()
    {
        var id = Guid.NewGuid();
        var request = fixture.Client.GetGrain<IHelpRequestGrain>(id);
        var place = new GeoPoint(-40.5 - Random.Shared.NextDouble(), 170.5 + Random.Shared.NextDouble()); // nobody near
        var submitted = (await request.SubmitAsync(new NewHelpRequest(null, "+8613803930002", HelpCategory.Meals, Urgency.Routine,
            place, "期限 测试路 2号", "期限测试"), new Actor(Guid.NewGuid(), "operator"))).Request;

        await request.DeadlineDueAsync(); // as a sweep that read a deadline since moved would: not due, nothing happens
        var after = await request.GetAsync();

        await using var db = NpgsqlDataSource.Create(fixture.ConnectionString);
        await using var row = db.CreateCommand("SELECT deadline_at FROM outreach_requests WHERE id = $1");
        row.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        var stored = (DateTime)(await row.ExecuteScalarAsync())!;
        await using var reminders = db.CreateCommand("SELECT count(*) FROM orleansreminderstable WHERE grainid LIKE '%' || $1 || '%'");
        reminders.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id.ToString("N") });
        Assert.NotNull(submitted.DeadlineAt);
        Assert.Equal(submitted.DeadlineAt!.Value.UtcDateTime, stored, TimeSpan.FromMilliseconds(1));
        Assert.Equal(0L, (long)(await reminders.ExecuteScalarAsync())!);
        Assert.Equal(submitted.Version, after!.Version);
        Assert.Equal(submitted.Status, after.Status);
    }

    [Fact]
    public async Task LegacyRequest_StoredByOrleans_IsReadAndMovesIntoItsRowOnTheNextChange()
    {
        var id = Guid.NewGuid();
        await using var db = NpgsqlDataSource.Create(fixture.ConnectionString);
        await StoreLegacyAsync(db, id, "旧地址 1号");

        var grain = fixture.Client.GetGrain<IHelpRequestGrain>(id);
        var view = await grain.GetAsync();
        Assert.NotNull(view);
        Assert.Equal("旧地址 1号", view.Address);
        Assert.Equal(2, view.Version);

        var noted = await grain.AddNoteAsync(new Actor(Guid.NewGuid(), "coordinator"), "still here");
        Assert.Equal(DispatchOutcome.Ok, noted.Outcome);
        var stored = await new RequestStore(db).LoadAsync(id);
        Assert.NotNull(stored.State);
        Assert.Equal(3, stored.State.Version);
        Assert.Equal("still here", stored.State.Timeline[^1].Note);
    }

    /// <summary>
    /// An intake's id is new (made from the operator and the Idempotency-Key): a new activation writes it insert-only
    /// instead of reading a row that is not there. Sent again to a new activation (its answer lost, its silo gone), the
    /// insert finds the row, changes nothing, and the answer is the request as stored.
    /// </summary>
    [Fact]
    public async Task Intake_OfANewId_IsWrittenWithoutReadingItsRow_AndSentAgainToANewActivation_IsTheStoredRequest()
    {
        var id = Guid.NewGuid();
        var reads = new ConcurrentQueue<string>();
        var writes = new ConcurrentQueue<string>();
        var database = new NpgsqlConnectionStringBuilder(fixture.ConnectionString).Database!;
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                string[] tags = [.. activity.TagObjects.Select(t => t.Value as string).OfType<string>(), activity.DisplayName];
                if (!tags.Contains(database))
                    return;
                if (tags.Any(t => t.Contains("SELECT state, state_etag FROM outreach_requests", StringComparison.Ordinal)))
                    reads.Enqueue(activity.DisplayName);
                if (tags.Any(t => t.Contains("INSERT INTO outreach_requests", StringComparison.Ordinal)))
                    writes.Enqueue(activity.DisplayName);
            },
        };
        ActivitySource.AddActivityListener(listener);
        var operatorActor = new Actor(Guid.NewGuid(), "operator");
        var place = new GeoPoint(-41.5 - Random.Shared.NextDouble(), 171.5 + Random.Shared.NextDouble()); // nobody near

        var first = await fixture.Client.GetGrain<IHelpRequestGrain>(id).SubmitAsync(
            new NewHelpRequest(null, "+8613803930003", HelpCategory.Meals, Urgency.Routine, place, "先到 1号", "第一次"), operatorActor);
        var (readsByTheIntake, writesByTheIntake) = (reads.Count, writes.Count);
        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var again = await fixture.Client.GetGrain<IHelpRequestGrain>(id).SubmitAsync(
            new NewHelpRequest(null, "+8613803930004", HelpCategory.Medicine, Urgency.Urgent, place, "后到 2号", "第二次"), operatorActor);

        Assert.True(first.Created);
        Assert.Equal((0, 1), (readsByTheIntake, writesByTheIntake));
        Assert.False(again.Created);
        Assert.Equal((first.Request.Version, "先到 1号", HelpCategory.Meals), (again.Request.Version, again.Request.Address, again.Request.Category));
        Assert.False(reads.IsEmpty, "the row was read once the insert found it");
        await using var db = NpgsqlDataSource.Create(fixture.ConnectionString);
        var stored = await new RequestStore(db).LoadAsync(id);
        Assert.Equal((1L, "先到 1号"), (stored.ETag!.Value, stored.State!.Request!.Address));
    }

    /// <summary>
    /// An intake sent again to a new activation decides on the empty state it assumes (no row read) while it gathers
    /// its facts; the calls that interleave with it — the assignee (a volunteer's reconcile) and a claim — must not take
    /// that state for the stored one. Here the intake's facts wait behind the preferred helper's grain, held by a slow
    /// write: the assignee call answers the stored assignee once the intake has found the row, not "nobody" (and a
    /// claim, which waits for the turn anyway, is decided on the stored row).
    /// </summary>
    [Fact]
    public async Task CallsThatInterleave_WithAnIntakeSentAgainToANewActivation_WaitForTheStoredRow()
    {
        var place = new GeoPoint(-43.5 - Random.Shared.NextDouble(), 172.5 + Random.Shared.NextDouble()); // nobody near
        var (helperId, otherId) = (Guid.NewGuid(), Guid.NewGuid());
        foreach (var (id, name) in new[] { (helperId, "结对"), (otherId, "旁人") })
        {
            var volunteer = fixture.Client.GetGrain<IVolunteerGrain>(id);
            Assert.NotNull(await volunteer.CreateAsync(new VolunteerProfile(name, "13900000301", [HelpCategory.Meals], TravelMode.Walk, null, Capacity: 2)));
            await volunteer.ReportPositionAsync(new GeoPoint(place.Lat + 0.0002, place.Lon), 10);
            await volunteer.SetDutyAsync(true);
        }
        var helper = fixture.Client.GetGrain<IVolunteerGrain>(helperId);
        var requestId = Guid.NewGuid();
        var request = fixture.Client.GetGrain<IHelpRequestGrain>(requestId);
        var intake = new NewHelpRequest(null, "+8613803930007", HelpCategory.Meals, Urgency.Routine, place, "结对 5号", "交错测试")
        {
            PreferredVolunteerId = helperId,
        };
        var operatorActor = new Actor(Guid.NewGuid(), "operator");
        Assert.True((await request.SubmitAsync(intake, operatorActor)).Created);
        Assert.Equal(DispatchOutcome.Ok, (await request.ClaimAsync(new Actor(Guid.NewGuid(), "结对", helperId))).Outcome);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((await helper.GetAsync())!.ActiveRequests?.Contains(requestId) != true && DateTime.UtcNow < until)
            await Task.Delay(50); // the take-on follows the winner's answer
        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        Guid? assignee;
        DispatchResult otherClaim;
        SubmitResult again;
        await using (await StorageFaults.FailWritesAsync(fixture.ConnectionString, "orleansstorage", "NEW.graintypestring = 'volunteer'",
            after: TimeSpan.FromSeconds(3)))
        {
            var held = helper.SetDutyAsync(false); // the helper's grain is busy with this write for 3 s (then it fails)
            await Task.Delay(300);
            var intakeAgain = request.SubmitAsync(intake, operatorActor); // a new activation: its facts wait for the helper's view
            await Task.Delay(300);
            var pendingAssignee = request.GetAssigneeAsync();
            var pendingClaim = request.ClaimAsync(new Actor(Guid.NewGuid(), "旁人", otherId));
            assignee = await pendingAssignee;
            otherClaim = await pendingClaim;
            again = await intakeAgain;
            await Assert.ThrowsAnyAsync<Exception>(() => held);
        }

        Assert.Equal(helperId, assignee);
        // A claim waits for the turn, so it is decided on what the intake found (this held before the mend as well).
        Assert.Equal(DispatchOutcome.Forbidden, otherClaim.Outcome); // as stored: it was offered to the helper alone
        Assert.False(again.Created);
        Assert.Equal((RequestStatus.Claimed, helperId), (again.Request.Status, again.Request.AssignedVolunteerId));
    }

    /// <summary>
    /// An intake sent again to a new activation that fails while it gathers its facts (here the family's file cannot be
    /// read) fails the caller — and leaves no assumed empty state behind: the request is still read as stored, not
    /// answered "not found".
    /// </summary>
    [Fact]
    public async Task AnIntakeSentAgain_ThatFailsGatheringItsFacts_LeavesTheStoredRequestReadable()
    {
        var place = new GeoPoint(-44.5 - Random.Shared.NextDouble(), 173.5 + Random.Shared.NextDouble()); // nobody near
        var helperId = Guid.NewGuid();
        var helper = fixture.Client.GetGrain<IVolunteerGrain>(helperId);
        Assert.NotNull(await helper.CreateAsync(new VolunteerProfile("结对", "13900000302", [HelpCategory.Meals], TravelMode.Walk, null, Capacity: 2)));
        await helper.ReportPositionAsync(new GeoPoint(place.Lat + 0.0002, place.Lon), 10);
        await helper.SetDutyAsync(true);
        var (workerId, marker) = (Guid.NewGuid(), "worker-" + Guid.NewGuid().ToString("N")); // ASCII: stored JSON escapes the rest
        Assert.NotNull(await fixture.Client.GetGrain<IFamilyFileGrain>(workerId).CreateAsync(
            new FamilyFileInput(marker, null, null, [], [], null, PairedVolunteerIds: [helperId]), [], "test"));
        var request = fixture.Client.GetGrain<IHelpRequestGrain>(Guid.NewGuid());
        var intake = new NewHelpRequest(workerId, "+8613803930008", HelpCategory.Meals, Urgency.Routine, place, "档案 6号", "故障测试");
        var operatorActor = new Actor(Guid.NewGuid(), "operator");
        var stored = (await request.SubmitAsync(intake, operatorActor)).Request;

        await using var db = NpgsqlDataSource.Create(fixture.ConnectionString);
        const string FileRow = "graintypestring = 'worker' AND convert_from(payloadbinary, 'UTF8') LIKE '%' || $1 || '%'";
        byte[] payload;
        await using (var read = db.CreateCommand($"SELECT payloadbinary FROM orleansstorage WHERE {FileRow}"))
        {
            read.Parameters.Add(new NpgsqlParameter<string> { TypedValue = marker });
            payload = Assert.IsType<byte[]>(await read.ExecuteScalarAsync());
        }
        await using (var spoil = db.CreateCommand($"UPDATE orleansstorage SET payloadbinary = convert_to('{{\"spoilt\": ' || $1, 'UTF8') WHERE {FileRow}"))
        {
            spoil.Parameters.Add(new NpgsqlParameter<string> { TypedValue = marker });
            Assert.Equal(1, await spoil.ExecuteNonQueryAsync());
        }
        try
        {
            await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

            await Assert.ThrowsAnyAsync<Exception>(() => request.SubmitAsync(intake, operatorActor));
            var afterwards = await request.GetAsync();
            var offer = await request.GetOfferAsync(helperId);

            Assert.NotNull(afterwards);
            Assert.Equal((stored.Version, stored.Status, "档案 6号"), (afterwards.Version, afterwards.Status, afterwards.Address));
            Assert.NotNull(offer);
        }
        finally
        {
            await using var restore = db.CreateCommand($"UPDATE orleansstorage SET payloadbinary = $2 WHERE {FileRow}");
            restore.Parameters.Add(new NpgsqlParameter<string> { TypedValue = marker });
            restore.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = payload });
            await restore.ExecuteNonQueryAsync();
            await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        }
    }

    /// <summary>A request stored before the state moved into its row has a ledger row without a state: an intake sent again is that request, never written over it.</summary>
    [Fact]
    public async Task Intake_SentAgainForALegacyRequest_IsTheLegacyRequest_AndItsRowIsNotWrittenOver()
    {
        var id = Guid.NewGuid();
        await using var db = NpgsqlDataSource.Create(fixture.ConnectionString);
        await StoreLegacyAsync(db, id, "旧地址 3号");

        var again = await fixture.Client.GetGrain<IHelpRequestGrain>(id).SubmitAsync(
            new NewHelpRequest(null, "+8613803930006", HelpCategory.Medicine, Urgency.Urgent, new GeoPoint(10.5, 10.5), "新地址 4号", "新请求"),
            new Actor(Guid.NewGuid(), "operator"));

        Assert.False(again.Created);
        Assert.Equal((2, "旧地址 3号"), (again.Request.Version, again.Request.Address));
        var stored = await new RequestStore(db).LoadAsync(id);
        Assert.Null(stored.State); // still only the ledger row: nothing was written
        Assert.True(stored.Legacy);
    }

    /// <summary>
    /// A request as stored before migration 0009: its state in Orleans' table (state name "helpRequest"), and a ledger
    /// row without a state. Offered (version 2) at <paramref name="address"/>.
    /// </summary>
    private async Task StoreLegacyAsync(NpgsqlDataSource db, Guid id, string address)
    {
        var now = DateTimeOffset.UtcNow;
        var legacy = new HelpRequestState
        {
            Request = new NewHelpRequest(null, "+8613803930001", HelpCategory.Meals, Urgency.Routine, new GeoPoint(10.5, 10.5), address, "旧请求"),
            CreatedBy = Guid.NewGuid(),
            CreatedAt = now,
            Status = RequestStatus.Offered,
            CircleMinutes = 15,
            DeadlineAt = now.AddHours(1),
            Version = 2,
            Timeline = [new TimelineEntry(now, "operator", RequestStatus.New, RequestStatus.Offered, "offered to 0 volunteer(s)")],
        };
        await fixture.Storage.WriteStateAsync("helpRequest", fixture.Client.GetGrain<IHelpRequestGrain>(id).GetGrainId(),
            new GrainState<HelpRequestState>(legacy));
        await new RequestStore(db).RecordLedgerRowAsync(HelpRequestViews.ToView(id, legacy));
    }
}
