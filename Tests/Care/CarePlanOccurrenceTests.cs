using System.Net;
using System.Text.Json.Nodes;
using Outreach.Contracts;
using Outreach.Tests.Dispatch;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Care;

/// <summary>
/// A care plan end to end over real processes: its occurrence is made by the durable reminder across a silo restart,
/// offered to the plan's preferred helper alone first (urgent: 3 s here), then to the circle; the helper who claims it
/// ahead of the visit has until the window opens to set off. The system makes occurrences 2 minutes ahead.
/// </summary>
[Collection(ShortDeadlinesCollection.Name)]
[Category(TestCategory.System)]
public sealed class CarePlanOccurrenceTests(ShortDeadlinesFixture fixture)
{
    private static readonly TimeSpan CreateAhead = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Occurrence_IsMadeByTheReminderAcrossASiloRestart_PreferredHelperFirst_ThenTheCircle()
    {
        var system = fixture.System;
        var scene = new Scene(system.Web);
        using var op = await TestUsers.CreateAsync(system.Web, "operator");
        using var coordinator = await TestUsers.CreateAsync(system.Web, "coordinator");
        using var preferred = await scene.VolunteerAsync(scene.Offset(600, 0), skills: ["Groceries"]);
        using var near = await scene.VolunteerAsync(scene.Offset(200, 0), skills: ["Groceries"]);
        var (_, file) = await op.Client.PostAsync("/api/workers", new FamilyFileRequest(
            "郭玉兰", WorkerPhone: "13803935678",
            Addresses: [new FamilyAddressDto("家", "华龙区 中原路 8号院", new PositionDto(scene.Family.Lat, scene.Family.Lon))]));
        var worker = file!["id"]!.GetValue<Guid>();
        // The occurrence is made 2 minutes before the window: 15–75 s from now. If that falls while the silo is down
        // (below), the durable reminder fires once it is back.
        var window = CareWindows.OpeningIn(CreateAhead + TimeSpan.FromSeconds(15));
        var (created, plan) = await op.Client.PostAsync($"/api/workers/{worker}/care-plans", new
        {
            category = "Groceries",
            urgency = "Urgent",
            schedule = window.Schedule,
            startDate = window.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            position = new { lat = scene.Family.Lat, lon = scene.Family.Lon },
            address = "华龙区 中原路 8号院",
            notes = "每天送菜",
            preferredVolunteerId = preferred.VolunteerId,
        });
        Assert.True(created == HttpStatusCode.Created, $"creating the plan: {(int)created} {plan}");
        var planId = plan!["id"]!.GetValue<Guid>();
        var requestId = plan["next"]![0]!["requestId"]!.GetValue<Guid>();
        var (notYet, _) = await coordinator.Client.GetAsync($"/api/requests/{requestId}");

        var silo = system.Silos[0];
        await silo.Process.KillAsync();
        await system.RestartSiloAsync(silo);

        var patience = window.Opens - CreateAhead - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(90);
        var request = await coordinator.Client.EventuallyAsync($"/api/requests/{requestId}", _ => true, "the occurrence's request", patience);
        var timeline = await coordinator.Client.EventuallyAsync($"/api/requests/{requestId}/timeline",
            t => t.AsArray().Any(e => e!["event"]?.GetValue<string>() == "pairedWindowOver"), "the circle after the preferred helper's window",
            TimeSpan.FromSeconds(60));
        var (_, nearOffers) = await near.Client.GetAsync("/api/volunteers/me/offers");
        var (claimed, _) = await preferred.Client.PostAsync($"/api/requests/{requestId}/claim", null);
        var (_, assigned) = await coordinator.Client.GetAsync($"/api/requests/{requestId}");

        Assert.Equal(HttpStatusCode.NotFound, notYet); // made by the reminder, not when the plan was saved
        Assert.Equal(planId, request["carePlanId"]!.GetValue<Guid>());
        Assert.Equal(worker, request["workerId"]!.GetValue<Guid>());
        Assert.Equal(window.Opens, request["windowFrom"]!.GetValue<DateTimeOffset>());
        Assert.Equal("Groceries", request["category"]!.GetValue<string>());
        var first = timeline.AsArray().First(e => e!["event"]?.GetValue<string>() == "pairedFirst")!;
        var over = timeline.AsArray().First(e => e!["event"]?.GetValue<string>() == "pairedWindowOver")!;
        Assert.Equal("1", first["details"]!["count"]!.GetValue<string>());
        Assert.True(over["at"]!.GetValue<DateTimeOffset>() - first["at"]!.GetValue<DateTimeOffset>() >= TimeSpan.FromSeconds(3),
            $"the circle was offered the occurrence before the preferred helper's window ended: {first["at"]} → {over["at"]}");
        Assert.Contains(nearOffers!.AsArray(), o => o!["requestId"]!.GetValue<Guid>() == requestId);
        Assert.Equal(HttpStatusCode.OK, claimed);
        Assert.Equal(preferred.VolunteerId, assigned!["assignedVolunteerId"]!.GetValue<Guid>());
        // Claimed ahead of the visit: the helper has until the window opens (plus this system's 4 s) to set off.
        Assert.True(assigned["deadlineAt"]!.GetValue<DateTimeOffset>() >= window.Opens,
            $"the en-route deadline {assigned["deadlineAt"]} is before the window opens at {window.Opens}");
    }
}
