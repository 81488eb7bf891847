using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Outreach.Reach;
using Outreach.Tests.Dispatch;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Reach;

/// <summary>
/// The delivery record end to end: every offer is recorded as sent to the volunteer's live page, a device's
/// acknowledgement as seen, and coordinators (only they) read it per request. Real silo, web node and PostgreSQL.
/// </summary>
[Collection(SystemCollection.Name)]
[Category(TestCategory.System)]
public sealed class DeliveryRecordTests(SystemFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private WebNode Web => fixture.Web;

    [Fact]
    public async Task Offers_AreRecordedAsSent_AndAnAcknowledgementAsSeen_ForCoordinatorsOnly()
    {
        var scene = new Scene(Web);
        using var op = await TestUsers.CreateAsync(Web, "operator");
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        using var first = await scene.VolunteerAsync(scene.Offset(200, 0));
        using var second = await scene.VolunteerAsync(scene.Offset(0, 300));
        using var bystander = await TestUsers.CreateAsync(Web, "volunteer");
        var id = await scene.RequestAsync(op.Client);

        var sent = await WaitForAsync(coordinator, id, records => records.Count(r => Is(r, "offer", "socket", "sent")) == 2, "two offers sent");
        Assert.Equal(
            new[] { first.VolunteerId!.Value, second.VolunteerId!.Value }.Order(),
            sent.Where(r => Is(r, "offer", "socket", "sent")).Select(r => r["volunteerId"]!.GetValue<Guid>()).Order());

        using var host = await fixture.System.StartClientHostAsync();
        var reach = host.Services.GetRequiredService<IGrainFactory>().GetGrain<IRequestReachGrain>(id);
        await reach.AcknowledgeAsync(first.VolunteerId!.Value, ReachChannel.Socket);
        await reach.AcknowledgeAsync(first.VolunteerId!.Value, ReachChannel.Socket); // the page said it twice
        await reach.AcknowledgeAsync(bystander.VolunteerId!.Value, ReachChannel.Socket); // never offered: ignored
        var seen = await WaitForAsync(coordinator, id, records => records.Any(r => Is(r, "offer", "socket", "seen")), "the acknowledgement");
        var seenBy = seen.Where(r => Is(r, "offer", "socket", "seen")).Select(r => r["volunteerId"]!.GetValue<Guid>()).ToList();
        Assert.Equal([first.VolunteerId!.Value], seenBy);
        await host.StopAsync();

        var (volunteerStatus, _) = await first.Client.GetAsync($"/api/requests/{id}/deliveries");
        Assert.Equal(HttpStatusCode.Forbidden, volunteerStatus);
        var (opStatus, _) = await op.Client.GetAsync($"/api/requests/{id}/deliveries");
        Assert.Equal(HttpStatusCode.Forbidden, opStatus);
        var (unknownStatus, _) = await coordinator.Client.GetAsync($"/api/requests/{Guid.NewGuid()}/deliveries");
        Assert.Equal(HttpStatusCode.NotFound, unknownStatus);
    }

    [Fact]
    public async Task Acknowledgements_ToANewActivation_AreCheckedWithTheRequest_OnlyTheOfferedOnesAreRecorded()
    {
        var scene = new Scene(Web);
        using var op = await TestUsers.CreateAsync(Web, "operator");
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        using var offered = await scene.VolunteerAsync(scene.Offset(150, 50));
        using var bystander = await TestUsers.CreateAsync(Web, "volunteer");
        var id = await scene.RequestAsync(op.Client);
        await WaitForAsync(coordinator, id, records => records.Any(r => Is(r, "offer", "socket", "sent")), "the offer sent");

        using var host = await fixture.System.StartClientHostAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        // The reach grain's next activation has had no notice: it cannot know who was offered, the request does.
        await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await grains.GetGrain<IRequestReachGrain>(id).AcknowledgeAllAsync(
            [new(offered.VolunteerId!.Value, ReachChannel.Push), new(bystander.VolunteerId!.Value, ReachChannel.Push)]);
        var seen = await WaitForAsync(coordinator, id, records => records.Any(r => Is(r, "offer", "push", "seen")), "the acknowledgement");
        await host.StopAsync();

        Assert.Equal([offered.VolunteerId!.Value],
            seen.Where(r => Is(r, "offer", "push", "seen")).Select(r => r["volunteerId"]!.GetValue<Guid>()));
    }

    private static bool Is(JsonNode record, string @event, string channel, string outcome) =>
        record["event"]!.GetValue<string>() == @event && record["channel"]!.GetValue<string>() == channel
        && record["outcome"]!.GetValue<string>() == outcome;

    private static async Task<JsonNode[]> WaitForAsync(TestUser coordinator, Guid id, Func<JsonNode[], bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        JsonNode[] records = [];
        while (DateTime.UtcNow < deadline)
        {
            var (status, body) = await coordinator.Client.GetAsync($"/api/requests/{id}/deliveries");
            Assert.Equal(HttpStatusCode.OK, status);
            records = [.. body!.AsArray().Select(r => r!)];
            if (done(records))
                return records;
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException($"{what}: not in the delivery record after {Patience.TotalSeconds} s: {string.Join("; ", records.Select(r => r.ToJsonString()))}");
    }
}
