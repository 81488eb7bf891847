using System.Net;
using System.Text.Json;
using Outreach.Contracts;
using Outreach.Model;
using Outreach.Tests.Infrastructure;
using Outreach.Tests.Live;

namespace Outreach.Tests.Dispatch;

/// <summary>The dispatch rules end to end: real processes, real PostgreSQL, real SignalR clients.</summary>
[Collection(SystemCollection.Name)]
[Category(TestCategory.System)]
public sealed class DispatchTests(SystemFixture fixture)
{
    private WebNode Web => fixture.Web;

    [Fact]
    public async Task Request_IsOfferedToTheEligibleAndToNobodyElse()
    {
        var scene = new Scene(Web);
        using var op = await TestUsers.CreateAsync(Web, "operator");
        using var near = await scene.VolunteerAsync(scene.Offset(300, 0));
        using var eBike = await scene.VolunteerAsync(scene.Offset(0, 2000), travelMode: "EBike");
        using var wrongSkill = await scene.VolunteerAsync(scene.Offset(200, 0), skills: ["Meals"]);
        using var offDuty = await scene.VolunteerAsync(scene.Offset(-200, 0), onDuty: false);
        using var tooFar = await scene.VolunteerAsync(scene.Offset(1500, 0));
        using var noPosition = await scene.VolunteerAsync(at: null);
        using var busy = await scene.VolunteerAsync(scene.Offset(0, 250), skills: ["Medicine", "Groceries"]);
        var groceries = await scene.RequestAsync(op.Client, category: "Groceries");
        Assert.Equal(HttpStatusCode.OK, (await busy.Client.PostAsync($"/api/requests/{groceries}/claim", null)).Status);
        // The winner's record takes the claim on right after the answer (its reservation holds the place meanwhile).
        await busy.Client.EventuallyAsync("/api/volunteers/me", v => v["activeRequests"]?.AsArray().Count == 1, "the claim taken on",
            TimeSpan.FromSeconds(30));

        var users = new[] { near, eBike, wrongSkill, offDuty, tooFar, noPosition, busy };
        var listeners = await Task.WhenAll(users.Select(u => LiveListener.ConnectAsync(u.Login, Web, u.Client.Cookies)));
        try
        {
            var id = await scene.RequestAsync(op.Client);

            await listeners[0].WaitForAsync(LiveEvents.Offer, IsFor(id), "the offer to the walker 300 m away");
            var eBikeOffer = await listeners[1].WaitForAsync(LiveEvents.Offer, IsFor(id), "the offer to the e-bike 2 km away");
            using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
            var (_, request) = await coordinator.Client.GetAsync($"/api/requests/{id}");
            Assert.Equal(2, request!["offeredCount"]!.GetValue<int>());
            Assert.InRange(eBikeOffer.Payload.GetProperty("etaMinutes").GetDouble(), 8, 10);
            foreach (var (listener, why) in listeners.Skip(2).Zip(new[] { "wrong skill", "off duty", "too far", "no position", "at capacity" }))
                Assert.False(listener.Received.Any(m => m.Event == LiveEvents.Offer && IsFor(id)(m.Payload)), $"{why}: got an offer");
            foreach (var (user, why) in users.Skip(2).Zip(new[] { "wrong skill", "off duty", "too far", "no position", "at capacity" }))
            {
                var (status, _) = await user.Client.GetAsync($"/api/requests/{id}");
                Assert.True(status == HttpStatusCode.NotFound, $"{why}: could read the request ({(int)status})");
            }
        }
        finally
        {
            foreach (var listener in listeners)
                await listener.DisposeAsync();
        }
    }

    [Fact]
    public async Task FiftyConcurrentClaims_ExactlyOneWins_AndTheOthersAreWithdrawn()
    {
        var scene = new Scene(Web);
        using var op = await TestUsers.CreateAsync(Web, "operator");
        var volunteers = await Task.WhenAll(Enumerable.Range(0, 50)
            .Select(i => scene.VolunteerAsync(scene.Offset(20 + i * 7, (i % 7) * 30))));
        var listeners = await Task.WhenAll(volunteers.Select(v => LiveListener.ConnectAsync(v.Login, Web, v.Client.Cookies)));
        try
        {
            var id = await scene.RequestAsync(op.Client);
            await Task.WhenAll(listeners.Select(l => l.WaitForAsync(LiveEvents.Offer, IsFor(id), "the offer")));

            var answers = await Task.WhenAll(volunteers.Select(v => v.Client.PostAsync($"/api/requests/{id}/claim", null)));

            var winners = answers.Select((a, i) => (a, i)).Where(x => x.a.Status == HttpStatusCode.OK).ToArray();
            var winner = Assert.Single(winners);
            var losers = answers.Where(a => a.Status != HttpStatusCode.OK).ToArray();
            Assert.Equal(49, losers.Length);
            Assert.All(losers, a =>
            {
                Assert.Equal(HttpStatusCode.Conflict, a.Status);
                Assert.Equal("already taken", a.Body!["detail"]!.GetValue<string>());
            });
            Assert.Equal("Claimed", winner.a.Body!["status"]!.GetValue<string>());
            Assert.Equal(volunteers[winner.i].VolunteerId, winner.a.Body["assignedVolunteerId"]!.GetValue<Guid>());
            await Task.WhenAll(listeners.Where((_, i) => i != winner.i)
                .Select(l => l.WaitForAsync(LiveEvents.OfferWithdrawn, IsFor(id), "the withdrawal after the claim")));
            Assert.DoesNotContain(listeners[winner.i].Received, m => m.Event == LiveEvents.OfferWithdrawn && IsFor(id)(m.Payload));
        }
        finally
        {
            foreach (var listener in listeners)
                await listener.DisposeAsync();
            foreach (var volunteer in volunteers)
                volunteer.Dispose();
        }
    }

    [Fact]
    public async Task SameIdempotencyKey_PostedTwentyTimesConcurrently_CreatesOneRequest()
    {
        var scene = new Scene(Web);
        using var op = await TestUsers.CreateAsync(Web, "operator");
        using var volunteer = await scene.VolunteerAsync(scene.Offset(100, 100));
        await using var listener = await LiveListener.ConnectAsync(volunteer.Login, Web, volunteer.Client.Cookies);
        var key = "call-" + Guid.NewGuid().ToString("N");

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => scene.PostRequestAsync(op.Client, key: key)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.Status));
        var id = Assert.Single(answers.Select(a => a.Body!["id"]!.GetValue<Guid>()).Distinct());
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        var (_, timeline) = await coordinator.Client.GetAsync($"/api/requests/{id}/timeline");
        Assert.Single(timeline!.AsArray(), e => e!["to"]!.GetValue<string>() == "Offered");
        await listener.WaitForAsync(LiveEvents.Offer, IsFor(id), "the offer");
        var (_, offers) = await volunteer.Client.GetAsync("/api/volunteers/me/offers");
        Assert.Single(offers!.AsArray(), o => o!["requestId"]!.GetValue<Guid>() == id);
    }

    [Fact]
    public async Task VolunteerView_BeforeClaim_IsMaskedAndAfterClaim_IsWhole()
    {
        var scene = new Scene(Web);
        using var op = await TestUsers.CreateAsync(Web, "operator");
        using var volunteer = await scene.VolunteerAsync(scene.Offset(150, -100));
        var id = await scene.RequestAsync(op.Client);

        var (status, masked) = await volunteer.Client.GetAsync($"/api/requests/{id}");
        var (_, offers) = await volunteer.Client.GetAsync("/api/volunteers/me/offers");
        var (claimed, whole) = await volunteer.Client.PostAsync($"/api/requests/{id}/claim", null);

        Assert.Equal(HttpStatusCode.OK, status);
        var text = masked!.ToJsonString();
        Assert.DoesNotContain("address", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Phone", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("description", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("中原路", text, StringComparison.Ordinal);
        Assert.DoesNotContain("13803930001", text, StringComparison.Ordinal);
        var approx = masked["approxPosition"]!;
        var offLat = Math.Abs(approx["lat"]!.GetValue<double>() - scene.Family.Lat) * 111_195;
        Assert.InRange(offLat, 0, 120);
        Assert.Equal(0, Math.Round(approx["lat"]!.GetValue<double>() / 0.002 % 1, 6) % 1);
        Assert.Equal(id, offers!.AsArray().Single()!["requestId"]!.GetValue<Guid>());
        Assert.Equal(HttpStatusCode.OK, claimed);
        Assert.Equal("华龙区 中原路 2号院 5号楼 301", whole!["address"]!.GetValue<string>());
        Assert.Equal("+8613803930001", whole["callerPhone"]!.GetValue<string>());
    }

    [Fact]
    public async Task Lifecycle_StepsInOrder_ByTheAssigneeOnly_AndTheApiAgreesAtEachStep()
    {
        var scene = new Scene(Web);
        using var op = await TestUsers.CreateAsync(Web, "operator");
        using var volunteer = await scene.VolunteerAsync(scene.Offset(100, 0));
        using var other = await scene.VolunteerAsync(scene.Offset(0, 100));
        var id = await scene.RequestAsync(op.Client);
        await volunteer.Client.PostAsync($"/api/requests/{id}/claim", null);
        var (_, assignments) = await volunteer.Client.GetAsync("/api/volunteers/me/assignments");
        Assert.Equal(id, assignments!.AsArray().Single()!["id"]!.GetValue<Guid>());
        var (_, mine) = await op.Client.GetAsync("/api/requests?status=all&mine=true");
        Assert.Equal(id, mine!.AsArray().Single()!["id"]!.GetValue<Guid>());

        var (outOfOrder, problem) = await volunteer.Client.PostAsync($"/api/requests/{id}/status", new StatusBody(RequestStatus.Completed));
        var (notAssignee, _) = await other.Client.PostAsync($"/api/requests/{id}/status", new StatusBody(RequestStatus.EnRoute));
        var (badWord, _) = await volunteer.Client.PostAsync($"/api/requests/{id}/status", new StatusBody(RequestStatus.Offered));
        Assert.Equal(HttpStatusCode.Conflict, outOfOrder);
        Assert.Contains("EnRoute", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, notAssignee);
        Assert.Equal(HttpStatusCode.BadRequest, badWord);

        foreach (var step in new[] { "EnRoute", "OnSite", "Completed" })
        {
            var (status, body) = await volunteer.Client.PostAsync($"/api/requests/{id}/status", new StatusBody(Enum.Parse<RequestStatus>(step), "<b>ok</b>"));
            Assert.True(status == HttpStatusCode.OK, $"{step}: {(int)status} {body}");
            var (_, seen) = await op.Client.GetAsync($"/api/requests/{id}");
            Assert.Equal(step, seen!["status"]!.GetValue<string>());
        }
        var (_, assignmentsAfter) = await volunteer.Client.GetAsync("/api/volunteers/me/assignments");
        Assert.Empty(assignmentsAfter!.AsArray());
        var (claimClosed, closed) = await other.Client.PostAsync($"/api/requests/{id}/claim", null);
        Assert.Equal(HttpStatusCode.Conflict, claimClosed);
        Assert.Equal("not open", closed!["detail"]!.GetValue<string>());
        var (_, timeline) = await op.Client.GetAsync($"/api/requests/{id}/timeline");
        Assert.Equal(["New", "Offered", "Claimed", "EnRoute", "OnSite", "Completed"],
            timeline!.AsArray().Select(e => e!["to"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Cancel_WithdrawsOffers_AndLaterClaimsAreNotOpen()
    {
        var scene = new Scene(Web);
        using var op = await TestUsers.CreateAsync(Web, "operator");
        using var volunteer = await scene.VolunteerAsync(scene.Offset(100, 0));
        await using var listener = await LiveListener.ConnectAsync(volunteer.Login, Web, volunteer.Client.Cookies);
        var id = await scene.RequestAsync(op.Client);
        await listener.WaitForAsync(LiveEvents.Offer, IsFor(id), "the offer");

        var (cancelled, _) = await op.Client.PostAsync($"/api/requests/{id}/cancel", new ReasonBody("家属已自行解决"));
        var withdrawn = await listener.WaitForAsync(LiveEvents.OfferWithdrawn, IsFor(id), "the withdrawal on cancel");
        var (claim, problem) = await volunteer.Client.PostAsync($"/api/requests/{id}/claim", null);

        Assert.Equal(HttpStatusCode.OK, cancelled);
        Assert.Equal("cancelled", withdrawn.Payload.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.Conflict, claim);
        Assert.Equal("not open", problem!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Release_OffersItAgainButNotToTheOneWhoReleased()
    {
        var scene = new Scene(Web);
        using var op = await TestUsers.CreateAsync(Web, "operator");
        using var first = await scene.VolunteerAsync(scene.Offset(100, 0));
        using var second = await scene.VolunteerAsync(scene.Offset(0, 300));
        await using var secondListener = await LiveListener.ConnectAsync(second.Login, Web, second.Client.Cookies);
        var id = await scene.RequestAsync(op.Client);
        Assert.Equal(HttpStatusCode.OK, (await first.Client.PostAsync($"/api/requests/{id}/claim", null)).Status);
        await secondListener.WaitForAsync(LiveEvents.OfferWithdrawn, IsFor(id), "the withdrawal after the first claim");

        var (released, body) = await first.Client.PostAsync($"/api/requests/{id}/release", new ReasonBody("车坏了"));
        var offers = await secondListener.WaitForAsync(LiveEvents.Offer, p => IsFor(id)(p) && secondListener.Received.Count(m => m.Event == LiveEvents.Offer) >= 2, "the second offer");
        var (again, _) = await first.Client.PostAsync($"/api/requests/{id}/claim", null);

        Assert.Equal(HttpStatusCode.OK, released);
        Assert.Equal("Offered", body!["status"]!.GetValue<string>());
        // No longer theirs: the one who released gets the masked view (VolunteerViewTests); staff see the new round.
        Assert.True(body["masked"]!.GetValue<bool>());
        var (_, seen) = await op.Client.GetAsync($"/api/requests/{id}");
        Assert.Equal(1, seen!["offeredCount"]!.GetValue<int>());
        Assert.NotNull(offers);
        Assert.Equal(HttpStatusCode.Forbidden, again);
    }

    [Fact]
    public async Task FollowUp_NotSatisfied_ReopensAndOffersAgainKeepingHistory()
    {
        var scene = new Scene(Web);
        using var op = await TestUsers.CreateAsync(Web, "operator");
        using var first = await scene.VolunteerAsync(scene.Offset(100, 0));
        using var second = await scene.VolunteerAsync(scene.Offset(0, 300));
        var id = await scene.RequestAsync(op.Client);
        await first.Client.PostAsync($"/api/requests/{id}/claim", null);
        foreach (var step in new[] { RequestStatus.EnRoute, RequestStatus.OnSite, RequestStatus.Completed })
            await first.Client.PostAsync($"/api/requests/{id}/status", new StatusBody(step));

        var (_, waiting) = await op.Client.GetAsync("/api/requests?status=followup&mine=true");
        Assert.Equal(id, waiting!.AsArray().Single()!["id"]!.GetValue<Guid>());
        var (badRating, _) = await op.Client.PostAsync($"/api/requests/{id}/followup", new FollowUpBody(false, 9));
        var (status, reopened) = await op.Client.PostAsync($"/api/requests/{id}/followup", new FollowUpBody(false, 2, "药买错了"));
        var (_, secondOffers) = await second.Client.GetAsync("/api/volunteers/me/offers");
        var (_, firstOffers) = await first.Client.GetAsync("/api/volunteers/me/offers");
        var (_, timeline) = await op.Client.GetAsync($"/api/requests/{id}/timeline");

        Assert.Equal(HttpStatusCode.BadRequest, badRating);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Offered", reopened!["status"]!.GetValue<string>());
        Assert.False(reopened["followUp"]!["satisfied"]!.GetValue<bool>());
        Assert.Contains(secondOffers!.AsArray(), o => o!["requestId"]!.GetValue<Guid>() == id);
        Assert.DoesNotContain(firstOffers!.AsArray(), o => o!["requestId"]!.GetValue<Guid>() == id);
        Assert.Equal(["New", "Offered", "Claimed", "EnRoute", "OnSite", "Completed", "Offered"],
            timeline!.AsArray().Select(e => e!["to"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Assign_OffDutyVolunteer_NeedsConfirmationThenIsForced()
    {
        var scene = new Scene(Web);
        using var op = await TestUsers.CreateAsync(Web, "operator");
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        using var onDuty = await scene.VolunteerAsync(scene.Offset(100, 0));
        using var offDuty = await scene.VolunteerAsync(scene.Offset(0, 100), onDuty: false);
        await using var listener = await LiveListener.ConnectAsync(offDuty.Login, Web, offDuty.Client.Cookies);
        var id = await scene.RequestAsync(op.Client);

        var (_, candidates) = await coordinator.Client.GetAsync($"/api/requests/{id}/candidates");
        var (unforced, problem) = await coordinator.Client.PostAsync($"/api/requests/{id}/assign", new AssignBody(offDuty.VolunteerId!.Value));
        var (forced, assigned) = await coordinator.Client.PostAsync($"/api/requests/{id}/assign", new AssignBody(offDuty.VolunteerId!.Value, Force: true));
        var update = await listener.WaitForAsync(LiveEvents.RequestUpdated,
            p => p.GetProperty("request").GetProperty("id").GetGuid() == id, "the assignment");

        Assert.Equal(onDuty.VolunteerId, candidates!.AsArray().Single()!["volunteerId"]!.GetValue<Guid>());
        Assert.Equal(HttpStatusCode.Conflict, unforced);
        Assert.True(problem!["needsConfirmation"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, forced);
        Assert.Equal(offDuty.VolunteerId, assigned!["assignedVolunteerId"]!.GetValue<Guid>());
        Assert.Equal("Claimed", update.Payload.GetProperty("request").GetProperty("status").GetString());
        var (_, timeline) = await coordinator.Client.GetAsync($"/api/requests/{id}/timeline");
        var last = timeline!.AsArray().Last()!;
        Assert.Contains("forced", last["note"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("assigned", last["event"]!.GetValue<string>());
        Assert.Equal("true", last["details"]!["offDuty"]!.GetValue<string>());
        Assert.Null(last["details"]!["lacksSkill"]); // the volunteer has the skill; only being off duty was forced
    }

    [Fact]
    public async Task Reoffer_WithNoBody_IsAReofferWithoutANote()
    {
        var scene = new Scene(Web);
        using var op = await TestUsers.CreateAsync(Web, "operator");
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        using var volunteer = await scene.VolunteerAsync(scene.Offset(100, 0));
        var id = await scene.RequestAsync(op.Client);

        using var reoffered = await coordinator.Client.Http.PostAsync($"/api/requests/{id}/reoffer", null);

        Assert.True(reoffered.StatusCode == HttpStatusCode.OK, $"a bodyless re-offer: {(int)reoffered.StatusCode} {await reoffered.Content.ReadAsStringAsync()}");
        var (_, request) = await coordinator.Client.GetAsync($"/api/requests/{id}");
        Assert.True(request!["escalated"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Intake_BadInput_Returns400AndCreatesNothing()
    {
        using var op = await TestUsers.CreateAsync(Web, "operator");
        var (_, before) = await op.Client.GetAsync("/api/requests?status=all");

        var (badCategory, p1) = await op.Client.PostAsync("/api/requests",
            """{"callerPhone":"13803930001","category":"Massage","urgency":"Urgent","position":{"lat":35.7,"lon":115},"address":"某地"}""");
        var (badLat, p2) = await op.Client.PostAsync("/api/requests",
            """{"callerPhone":"13803930001","category":"Meals","urgency":"Urgent","position":{"lat":135.7,"lon":115},"address":"某地"}""");
        var (noPosition, p3) = await op.Client.PostAsync("/api/requests",
            """{"callerPhone":"13803930001","category":"Meals","urgency":"Urgent","address":"某地"}""");
        var (badPhone, p4) = await op.Client.PostAsync("/api/requests",
            """{"callerPhone":"12","category":"Meals","urgency":"Urgent","position":{"lat":35.7,"lon":115},"address":"某地"}""");
        var (_, after) = await op.Client.GetAsync("/api/requests?status=all");

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (badCategory, badLat, noPosition, badPhone));
        Assert.Contains("category", p1!["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("lat", p2!["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("position", p3!["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("phone", p4!["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before!.AsArray().Count, after!.AsArray().Count);
    }

    [Fact]
    public async Task Request_IsAttachedToTheStationWhoseCircleContainsIt()
    {
        var scene = new Scene(Web);
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        using var op = await TestUsers.CreateAsync(Web, "operator");
        async Task<Guid> StationAsync((double Lat, double Lon) at, double radius)
        {
            var (_, body) = await coordinator.Client.PostAsync("/api/stations",
                new StationRequest("驿站-" + Guid.NewGuid().ToString("N")[..4], "测试路", new PositionDto(at.Lat, at.Lon), radius));
            return body!["id"]!.GetValue<Guid>();
        }
        // The nearer station's circle is too small to contain the family; the farther one's contains it.
        await StationAsync(scene.Offset(600, 0), radius: 500);
        var containing = await StationAsync(scene.Offset(0, -1500), radius: 2000);

        var id = await scene.RequestAsync(op.Client);

        var (_, request) = await op.Client.GetAsync($"/api/requests/{id}");
        Assert.Equal(containing, request!["stationId"]!.GetValue<Guid>());
    }

    private static Func<JsonElement, bool> IsFor(Guid requestId) =>
        p => p.TryGetProperty("requestId", out var id) && id.GetGuid() == requestId;
}
