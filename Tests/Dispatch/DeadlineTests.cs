using System.Net;
using System.Text.Json.Nodes;
using Outreach.Contracts;
using Outreach.Tests.Infrastructure;
using Outreach.Tests.Live;

namespace Outreach.Tests.Dispatch;

/// <summary>A system whose deadlines (and the paired helper's urgent window) run in seconds, so escalation and release can be watched happening.</summary>
public sealed class ShortDeadlinesFixture : IAsyncLifetime
{
    public static readonly Dictionary<string, string> Settings = new()
    {
        ["Dispatch__UrgentClaimDeadline"] = "00:00:04",
        ["Dispatch__EnRouteDeadline"] = "00:00:04",
        ["Care__PairedWindow__Urgent"] = "00:00:03",
        // A care plan's occurrence is made two minutes before its window (CarePlanOccurrenceTests waits for one).
        ["Care__CreateAhead"] = "00:02:00",
    };

    private OutreachSystem? _system;

    public OutreachSystem System => _system!;

    public async Task InitializeAsync() => _system = await OutreachSystem.StartAsync("deadlines", siloSettings: Settings);

    public async Task DisposeAsync()
    {
        if (_system is not null)
            await _system.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ShortDeadlinesCollection : ICollectionFixture<ShortDeadlinesFixture>
{
    public const string Name = "Short deadlines";
}

[Collection(ShortDeadlinesCollection.Name)]
[Category(TestCategory.System)]
public sealed class DeadlineTests(ShortDeadlinesFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task NoClaimInTime_Escalates_FromTheStoredDeadline_AcrossASiloRestart()
    {
        var system = fixture.System;
        var scene = new Scene(system.Web);
        using var op = await TestUsers.CreateAsync(system.Web, "operator");
        using var coordinator = await TestUsers.CreateAsync(system.Web, "coordinator");
        using var near = await scene.VolunteerAsync(scene.Offset(300, 0));
        using var farther = await scene.VolunteerAsync(scene.Offset(1200, 0)); // ≈ 21 min on foot: only in the widened circle
        var id = await scene.RequestAsync(op.Client, urgency: "Urgent");
        var (_, before) = await coordinator.Client.GetAsync($"/api/requests/{id}");
        Assert.Equal(1, before!["offeredCount"]!.GetValue<int>());

        // The deadline (4 s) runs out while no silo is up: only the deadline stored in the request's row can still be found.
        var silo = system.Silos[0];
        await silo.Process.KillAsync();
        await system.RestartSiloAsync(silo);

        var escalated = await EventuallyAsync(coordinator.Client, $"/api/requests/{id}", r => r["escalated"]!.GetValue<bool>(), "escalation");
        Assert.Equal(2, escalated["offeredCount"]!.GetValue<int>());
        Assert.Equal(30, escalated["circleMinutes"]!.GetValue<double>());
        var (_, offers) = await farther.Client.GetAsync("/api/volunteers/me/offers");
        Assert.Contains(offers!.AsArray(), o => o!["requestId"]!.GetValue<Guid>() == id);
        var (_, timeline) = await coordinator.Client.GetAsync($"/api/requests/{id}/timeline");
        // The first escalation is the one asserted: on a slow machine the widened round's own deadline (4 s) can run
        // out before the timeline is read, and that second escalation is as designed.
        var escalation = timeline!.AsArray().First(e => e!["event"]?.GetValue<string>() == "noClaim")!;
        Assert.Contains("no claim within", escalation["note"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("30", escalation["details"]!["circle"]!.GetValue<string>());
        Assert.Equal("1", escalation["details"]!["count"]!.GetValue<string>()); // the farther volunteer, newly in the circle
    }

    [Fact]
    public async Task ClaimedButNotEnRouteInTime_IsReleasedAndOfferedToOthers()
    {
        var system = fixture.System;
        var scene = new Scene(system.Web);
        using var op = await TestUsers.CreateAsync(system.Web, "operator");
        using var slow = await scene.VolunteerAsync(scene.Offset(100, 0));
        using var other = await scene.VolunteerAsync(scene.Offset(0, 200));
        await using var listener = await LiveListener.ConnectAsync(other.Login, system.Web, other.Client.Cookies);
        var id = await scene.RequestAsync(op.Client);
        Assert.Equal(HttpStatusCode.OK, (await slow.Client.PostAsync($"/api/requests/{id}/claim", null)).Status);

        // The claim withdrew the other volunteer's offer; the release offers it to them again (a later seq). The first
        // offer itself is not waited for: it can go out before a fresh connection has joined its groups.
        var withdrawn = await listener.WaitForAsync(LiveEvents.OfferWithdrawn, p => p.GetProperty("requestId").GetGuid() == id, "the claim's withdrawal", Patience);
        var reopened = await EventuallyAsync(op.Client, $"/api/requests/{id}", r => r["status"]!.GetValue<string>() == "Offered", "the automatic release");
        await listener.WaitForAsync(LiveEvents.Offer, p => p.GetProperty("requestId").GetGuid() == id
            && p.GetProperty("seq").GetInt64() > withdrawn.Payload.GetProperty("seq").GetInt64(), "the offer after the release", Patience);
        var (claimAgain, _) = await slow.Client.PostAsync($"/api/requests/{id}/claim", null);

        Assert.Null(reopened["assignedVolunteerId"]);
        Assert.Equal(HttpStatusCode.Forbidden, claimAgain);
    }

    [Fact]
    public async Task TwoWebNodes_VolunteerOnNodeB_GetsTheOfferPostedOnNodeA()
    {
        var system = fixture.System;
        var nodeB = system.WebNodes.Count > 1 ? system.WebNodes[1] : await system.StartWebAsync();
        var scene = new Scene(system.Web);
        using var op = await TestUsers.CreateAsync(system.Web, "operator");
        using var volunteer = await scene.VolunteerAsync(scene.Offset(100, 100));
        using var onB = await nodeB.LoginAsync(volunteer.Login, TestUsers.Password);
        await using var listener = await LiveListener.ConnectAsync(volunteer.Login, nodeB, onB.Cookies);
        await WaitForTwoNodesAsync(system);

        var id = await scene.RequestAsync(op.Client);

        var offer = await listener.WaitForAsync(LiveEvents.Offer, p => p.GetProperty("requestId").GetGuid() == id, "the offer on node B", Patience);
        Assert.Equal("Medicine", offer.Payload.GetProperty("category").GetString());
    }

    [Fact]
    public async Task StalePosition_IsNotOffered()
    {
        await using var system = await OutreachSystem.StartAsync("stale",
            siloSettings: new Dictionary<string, string> { ["Dispatch__PositionMaxAge"] = "00:00:02" });
        var scene = new Scene(system.Web);
        using var op = await TestUsers.CreateAsync(system.Web, "operator");
        using var stale = await scene.VolunteerAsync(scene.Offset(100, 0));
        await Task.Delay(TimeSpan.FromSeconds(3)); // let the first volunteer's report grow older than the 2 s limit
        using var fresh = await scene.VolunteerAsync(scene.Offset(0, 100));

        var id = await scene.RequestAsync(op.Client);

        var (_, staleView) = await stale.Client.GetAsync($"/api/requests/{id}");
        var (_, freshView) = await fresh.Client.GetAsync($"/api/requests/{id}");
        Assert.Equal(404, staleView!["status"]!.GetValue<int>());
        Assert.Equal(id, freshView!["requestId"]!.GetValue<Guid>());
    }

    private static async Task WaitForTwoNodesAsync(OutreachSystem system)
    {
        // A node that just started subscribes at once; give the notifiers' 2 s cache time to see it.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        foreach (var node in system.WebNodes)
        {
            while (!node.Process.Printed("subscribed") && DateTime.UtcNow < deadline)
                await Task.Delay(200);
        }
        await Task.Delay(TimeSpan.FromSeconds(2.5));
    }

    private static Task<JsonNode> EventuallyAsync(ApiClient client, string path, Func<JsonNode, bool> done, string what) =>
        client.EventuallyAsync(path, done, what, Patience);
}
