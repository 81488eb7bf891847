using System.Net;
using System.Text.Json;
using Outreach.Contracts;
using Outreach.Tests.Dispatch;
using Outreach.Tests.Infrastructure;
using Outreach.Tests.Live;

namespace Outreach.Tests.Push;

/// <summary>
/// Offers reach a volunteer's devices through a push service (a loopback one here that decrypts each message with the
/// device's private key, independently of the library that encrypted it, and checks the VAPID signature); withdrawals
/// follow; a device the push service says is gone is forgotten; a push service that hangs holds up nothing else.
/// </summary>
[Collection(PushCollection.Name)]
[Category(TestCategory.System)]
public sealed class PushDeliveryTests(PushSystemFixture fixture)
{
    private const string Path = "/api/volunteers/me/push-subscriptions";

    private PushServiceListener PushService => fixture.PushService;

    /// <summary>Waits for a message to the device; on time-out says what the delivery record and the silo say.</summary>
    private async Task<PushDelivery> WaitForPushAsync(TestPushDevice device, Func<PushDelivery, bool> match, string what, Guid requestId, Guid volunteerId)
    {
        try
        {
            return await PushService.WaitForAsync(device.Endpoint, match, what);
        }
        catch (TimeoutException e)
        {
            var rows = await Deliveries.ReadAsync(fixture.System.ConnectionString, requestId, volunteerId);
            throw new TimeoutException($"{e.Message}\nDelivery record: [{string.Join("; ", rows)}]\nSilo:\n{fixture.System.Silos[0].Process.Tail(30)}", e);
        }
    }

    [Fact]
    public async Task Offer_IsPushedEncrypted_WithVapid_AndNoPersonalData_ThenWithdrawnWhenAnotherClaims()
    {
        var scene = new Scene(fixture.Web);
        using var volunteer = await scene.VolunteerAsync(scene.Offset(150, 0));
        using var claimer = await scene.VolunteerAsync(scene.Offset(-200, 100));
        using var hotline = await TestUsers.CreateAsync(fixture.Web, "operator");
        using var device = new TestPushDevice(PushService.NewEndpoint());
        // The endpoint is a capability (whoever knows it can take the device over): never in a log line.
        var capability = device.Endpoint[(device.Endpoint.LastIndexOf('/') + 1)..];
        var processes = fixture.System.Silos.Select(s => s.Process).Append(fixture.Web.Process).ToArray();
        foreach (var process in processes)
            process.Watch(capability);
        Assert.Equal(HttpStatusCode.Created, (await volunteer.Client.PostAsync(Path, device.Subscription)).Status);
        var (_, key) = await volunteer.Client.GetAsync("/api/push/vapid-public-key");
        var sentAt = DateTimeOffset.UtcNow;

        var id = await scene.RequestAsync(hotline.Client, urgency: "Emergency");

        var delivery = await WaitForPushAsync(device, _ => true, $"the offer of {id}", id, volunteer.VolunteerId!.Value);
        var k = TestPushDevice.VerifyVapid(delivery.Authorization, device.Endpoint, sentAt);
        Assert.Equal(key!["publicKey"]!.GetValue<string>(), k);
        Assert.Equal("aes128gcm", delivery.ContentEncoding);
        Assert.Equal("120", delivery.Ttl); // the emergency claim deadline
        Assert.Equal("high", delivery.Urgency);
        Assert.Equal(id.ToString("N"), delivery.Topic);
        var text = device.Decrypt(delivery.Body);
        using (var offer = JsonDocument.Parse(text))
        {
            var root = offer.RootElement;
            Assert.Equal("offer", root.GetProperty("type").GetString());
            Assert.Equal(id, root.GetProperty("requestId").GetGuid());
            Assert.Equal("Medicine", root.GetProperty("category").GetString());
            Assert.Equal("Emergency", root.GetProperty("urgency").GetString());
            Assert.True(root.GetProperty("etaMinutes").GetDouble() >= 0);
            Assert.Equal(0, root.GetProperty("distanceM").GetDouble() % 100);
            Assert.Equal(
                ["category", "createdAt", "distanceM", "etaMinutes", "requestId", "type", "urgency"],
                root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        }
        foreach (var personal in new[] { "中原路", "13803930001", "3930001", "老人", "address", "phone", "description", "lat" })
            Assert.DoesNotContain(personal, text, StringComparison.Ordinal);
        await Deliveries.WaitForAsync(fixture.System.ConnectionString, id, volunteer.VolunteerId!.Value,
            r => r is { Event: "offer", Channel: "push", Outcome: "accepted" }, "push accepted");

        var (claimed, body) = await claimer.Client.PostAsync($"/api/requests/{id}/claim", null);
        Assert.True(claimed == HttpStatusCode.OK, $"claim: {(int)claimed} {body}");

        var withdrawal = await PushService.WaitForAsync(device.Endpoint, d => d != delivery, $"the withdrawal of {id}");
        using var withdrawn = JsonDocument.Parse(device.Decrypt(withdrawal.Body));
        Assert.Equal("withdrawn", withdrawn.RootElement.GetProperty("type").GetString());
        Assert.Equal(id, withdrawn.RootElement.GetProperty("requestId").GetGuid());
        Assert.Equal(id.ToString("N"), withdrawal.Topic); // replaces the offer at a push service still holding it
        TestPushDevice.VerifyVapid(withdrawal.Authorization, device.Endpoint, sentAt);
        await Deliveries.WaitForAsync(fixture.System.ConnectionString, id, volunteer.VolunteerId!.Value,
            r => r is { Event: "withdrawn", Channel: "push", Outcome: "accepted" }, "withdrawal accepted");
        Assert.Empty(PushService.To(device.Endpoint).Skip(2));
        foreach (var process in processes)
            Assert.True(process.Seen(capability) == 0, $"{process.Name} printed the push endpoint:\n{process.Tail(40)}");
    }

    [Fact]
    public async Task DeviceGone_410_IsRemovedAndRecorded_TheNextOfferSkipsIt()
    {
        var scene = new Scene(fixture.Web);
        using var volunteer = await scene.VolunteerAsync(scene.Offset(100, 50), capacity: 2);
        using var hotline = await TestUsers.CreateAsync(fixture.Web, "operator");
        using var gone = new TestPushDevice(PushService.NewEndpoint());
        using var phone = new TestPushDevice(PushService.NewEndpoint());
        PushService.Answer(gone.Endpoint, HttpStatusCode.Gone);
        Assert.Equal(HttpStatusCode.Created, (await volunteer.Client.PostAsync(Path, gone.Subscription)).Status);
        Assert.Equal(HttpStatusCode.Created, (await volunteer.Client.PostAsync(Path, phone.Subscription)).Status);
        var volunteerId = volunteer.VolunteerId!.Value;

        var first = await scene.RequestAsync(hotline.Client);

        await WaitForPushAsync(gone, _ => true, $"the offer of {first} (answered 410)", first, volunteerId);
        var rows = await Deliveries.WaitForAsync(fixture.System.ConnectionString, first, volunteerId,
            r => r is { Channel: "push", Outcome: "gone" }, "push gone");
        Assert.Contains(rows, r => r is { Channel: "push", Outcome: "gone", Detail: "HTTP 410" });
        Assert.Contains(rows, r => r is { Channel: "push", Outcome: "accepted" });
        Assert.Equal(1, await Deliveries.DeviceCountAsync(fixture.System.ConnectionString, volunteerId));
        Assert.All(rows, r => Assert.DoesNotContain("127.0.0.1", r.Detail ?? "", StringComparison.Ordinal));

        var second = await scene.RequestAsync(hotline.Client);

        await PushService.WaitForAsync(phone.Endpoint, d => JsonDocument.Parse(phone.Decrypt(d.Body)).RootElement.GetProperty("requestId").GetGuid() == second,
            $"the offer of {second} on the remaining device");
        var secondRows = await Deliveries.WaitForAsync(fixture.System.ConnectionString, second, volunteerId,
            r => r is { Channel: "push" }, "a push of the second offer");
        Assert.Equal(["accepted"], secondRows.Where(r => r.Channel == "push").Select(r => r.Outcome));
        Assert.Single(PushService.To(gone.Endpoint));
    }

    [Fact]
    public async Task PushServiceThatHangs_HoldsUpNothing_TheOfferReachesTheSocket_AndTheFailureIsRecorded()
    {
        var scene = new Scene(fixture.Web);
        using var volunteer = await scene.VolunteerAsync(scene.Offset(80, -60));
        using var hotline = await TestUsers.CreateAsync(fixture.Web, "operator");
        using var device = new TestPushDevice(PushService.NewEndpoint());
        var hold = PushService.Hold(device.Endpoint);
        PushService.Answer(device.Endpoint, HttpStatusCode.InternalServerError);
        Assert.Equal(HttpStatusCode.Created, (await volunteer.Client.PostAsync(Path, device.Subscription)).Status);
        await using var live = await LiveListener.ConnectAsync("volunteer", fixture.Web, volunteer.Client.Cookies);

        var id = await scene.RequestAsync(hotline.Client);

        // The push service has the message and has not answered; the page gets the offer all the same.
        await WaitForPushAsync(device, _ => true, $"the offer of {id}", id, volunteer.VolunteerId!.Value);
        await live.WaitForAsync(LiveEvents.Offer, e => e.GetProperty("requestId").GetGuid() == id, "the live offer while the push hangs");
        var (status, offers) = await volunteer.Client.GetAsync("/api/volunteers/me/offers");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(offers!.AsArray(), o => o!["requestId"]!.GetValue<Guid>() == id);
        Assert.DoesNotContain(await Deliveries.ReadAsync(fixture.System.ConnectionString, id, volunteer.VolunteerId!.Value),
            r => r.Channel == "push");

        hold.SetResult();

        var rows = await Deliveries.WaitForAsync(fixture.System.ConnectionString, id, volunteer.VolunteerId!.Value,
            r => r is { Channel: "push", Outcome: "failed" }, "push failed");
        Assert.Contains(rows, r => r is { Channel: "push", Outcome: "failed", Detail: "HTTP 500" });
        Assert.Contains(rows, r => r is { Channel: "socket", Outcome: "sent" });
        Assert.Equal(1, await Deliveries.DeviceCountAsync(fixture.System.ConnectionString, volunteer.VolunteerId!.Value)); // kept: not gone
    }

    [Fact]
    public async Task Seen_FromTheServiceWorkerAndThePage_IsRecordedPerChannel()
    {
        var scene = new Scene(fixture.Web);
        using var volunteer = await scene.VolunteerAsync(scene.Offset(60, 60));
        using var stranger = await scene.VolunteerAsync(at: null, onDuty: false);
        using var hotline = await TestUsers.CreateAsync(fixture.Web, "operator");
        var id = await scene.RequestAsync(hotline.Client);

        Assert.Equal(HttpStatusCode.NoContent, (await volunteer.Client.PostAsync($"/api/volunteers/me/offers/{id}/seen", null)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await volunteer.Client.PostAsync($"/api/volunteers/me/offers/{id}/seen?channel=socket", null)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await stranger.Client.PostAsync($"/api/volunteers/me/offers/{id}/seen", null)).Status);

        var rows = await Deliveries.WaitForAsync(fixture.System.ConnectionString, id, volunteer.VolunteerId!.Value,
            r => r is { Channel: "socket", Outcome: "seen" }, "socket seen");
        Assert.Contains(rows, r => r is { Event: "offer", Channel: "push", Outcome: "seen" });
        Assert.Empty(await Deliveries.ReadAsync(fixture.System.ConnectionString, id, stranger.VolunteerId!.Value));
    }
}
