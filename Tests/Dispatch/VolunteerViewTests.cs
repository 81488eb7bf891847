using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Outreach.Contracts;
using Outreach.Model;
using Outreach.Tests.Infrastructure;
using Outreach.Tests.Live;

namespace Outreach.Tests.Dispatch;

/// <summary>
/// Volunteers see what their current job needs: the address, the caller's phone and the description only while they
/// are the assignee and the request is Claimed, EnRoute or OnSite; after it, the masked view — in answers, reads,
/// assignments and live events. Offers show the distance to 100 m and the ETA in whole minutes.
/// </summary>
[Collection(SystemCollection.Name)]
[Category(TestCategory.System)]
public sealed class VolunteerViewTests(SystemFixture fixture)
{
    private const string Address = "中原路";
    private const string CallerPhone = "13803930001";

    private WebNode Web => fixture.Web;

    [Fact]
    public async Task Assignee_SeesTheWholeRequestWhileOnTheJob_AndTheMaskedViewOnceCompleted()
    {
        var scene = new Scene(Web);
        using var op = await TestUsers.CreateAsync(Web, "operator");
        using var volunteer = await scene.VolunteerAsync(scene.Offset(100, 0));
        var id = await scene.RequestAsync(op.Client);
        var (_, claimed) = await volunteer.Client.PostAsync($"/api/requests/{id}/claim", null);
        Assert.Contains(Address, claimed!["address"]!.GetValue<string>(), StringComparison.Ordinal);

        foreach (var step in new[] { RequestStatus.EnRoute, RequestStatus.OnSite })
        {
            var (_, answer) = await volunteer.Client.PostAsync($"/api/requests/{id}/status", new StatusBody(step));
            var (_, read) = await volunteer.Client.GetAsync($"/api/requests/{id}");
            Assert.Contains(Address, answer!["address"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal("+86" + CallerPhone, read!["callerPhone"]!.GetValue<string>());
        }
        var (done, completed) = await volunteer.Client.PostAsync($"/api/requests/{id}/status", new StatusBody(RequestStatus.Completed));
        var (afterStatus, after) = await volunteer.Client.GetAsync($"/api/requests/{id}");
        var (_, assignments) = await volunteer.Client.GetAsync("/api/volunteers/me/assignments");
        var (_, staff) = await op.Client.GetAsync($"/api/requests/{id}");

        Assert.Equal(HttpStatusCode.OK, done);
        Assert.Equal("Completed", completed!["status"]!.GetValue<string>());
        AssertMasked(completed);
        Assert.Equal(HttpStatusCode.OK, afterStatus);
        Assert.Equal(id, after!["id"]!.GetValue<Guid>());
        Assert.Equal(volunteer.VolunteerId, after["assignedVolunteerId"]!.GetValue<Guid>());
        AssertMasked(after);
        Assert.Empty(assignments!.AsArray());
        Assert.Contains(Address, staff!["address"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Volunteer_WhoReleases_GetsAMaskedAnswerAndAMaskedLiveEvent()
    {
        var scene = new Scene(Web);
        using var op = await TestUsers.CreateAsync(Web, "operator");
        using var volunteer = await scene.VolunteerAsync(scene.Offset(100, 0));
        await using var listener = await LiveListener.ConnectAsync(volunteer.Login, Web, volunteer.Client.Cookies);
        var id = await scene.RequestAsync(op.Client);
        await volunteer.Client.PostAsync($"/api/requests/{id}/claim", null);
        var whole = await listener.WaitForAsync(LiveEvents.RequestUpdated, p => IsRequest(p, id, "Claimed"), "the claim, whole");

        var (released, answer) = await volunteer.Client.PostAsync($"/api/requests/{id}/release", new ReasonBody("车坏了"));
        var masked = await listener.WaitForAsync(LiveEvents.RequestUpdated, p => IsRequest(p, id, "Offered"), "the release, masked");
        var (read, _) = await volunteer.Client.GetAsync($"/api/requests/{id}");

        Assert.Contains(Address, whole.Payload.GetProperty("request").GetProperty("address").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, released);
        AssertMasked(answer!);
        AssertMasked(JsonNode.Parse(masked.Payload.GetRawText())!["request"]!);
        Assert.Equal(HttpStatusCode.NotFound, read);
    }

    [Fact]
    public async Task Volunteer_ReplacedByACoordinator_GetsAMaskedLiveEvent_TheNewOneTheWholeRequest()
    {
        var scene = new Scene(Web);
        using var op = await TestUsers.CreateAsync(Web, "operator");
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        using var first = await scene.VolunteerAsync(scene.Offset(100, 0));
        using var second = await scene.VolunteerAsync(scene.Offset(0, 150));
        await using var firstListener = await LiveListener.ConnectAsync(first.Login, Web, first.Client.Cookies);
        await using var secondListener = await LiveListener.ConnectAsync(second.Login, Web, second.Client.Cookies);
        var id = await scene.RequestAsync(op.Client);
        await first.Client.PostAsync($"/api/requests/{id}/claim", null);

        var (assigned, _) = await coordinator.Client.PostAsync($"/api/requests/{id}/assign", new AssignBody(second.VolunteerId!.Value, Force: true));
        var replaced = await firstListener.WaitForAsync(LiveEvents.RequestUpdated,
            p => IsRequest(p, id, "Claimed") && Assigned(p) == second.VolunteerId, "the replacement, masked");
        var chosen = await secondListener.WaitForAsync(LiveEvents.RequestUpdated,
            p => IsRequest(p, id, "Claimed") && Assigned(p) == second.VolunteerId, "the assignment, whole");

        Assert.Equal(HttpStatusCode.OK, assigned);
        AssertMasked(JsonNode.Parse(replaced.Payload.GetRawText())!["request"]!);
        Assert.Equal("+86" + CallerPhone, chosen.Payload.GetProperty("request").GetProperty("callerPhone").GetString());
    }

    [Fact]
    public async Task Offers_ShowDistanceTo100MetresAndEtaInWholeMinutes_LiveAndRead_NoLinkBeforeTheClaim()
    {
        var scene = new Scene(Web);
        using var op = await TestUsers.CreateAsync(Web, "operator");
        using var volunteer = await scene.VolunteerAsync(scene.Offset(437, 123), travelMode: "Walk");
        await using var listener = await LiveListener.ConnectAsync(volunteer.Login, Web, volunteer.Client.Cookies);
        var id = await scene.RequestAsync(op.Client);

        var live = await listener.WaitForAsync(LiveEvents.Offer, p => p.GetProperty("requestId").GetGuid() == id, "the offer");
        var (_, offers) = await volunteer.Client.GetAsync("/api/volunteers/me/offers");
        var (_, single) = await volunteer.Client.GetAsync($"/api/requests/{id}");

        var read = offers!.AsArray().Single(o => o!["requestId"]!.GetValue<Guid>() == id)!;
        foreach (var (distance, eta) in new[]
        {
            (live.Payload.GetProperty("distanceM").GetDouble(), live.Payload.GetProperty("etaMinutes").GetDouble()),
            (read["distanceM"]!.GetValue<double>(), read["etaMinutes"]!.GetValue<double>()),
            (single!["distanceM"]!.GetValue<double>(), single["etaMinutes"]!.GetValue<double>()),
        })
        {
            Assert.Equal(500, distance); // 454 m away
            Assert.Equal(Math.Round(eta), eta);
            Assert.InRange(eta, 7, 9); // 454 m × 1.3 at 4.5 km/h ≈ 7.9 min
        }
        Assert.DoesNotContain("position\"", single.ToJsonString(), StringComparison.Ordinal);
    }

    private static bool IsRequest(JsonElement payload, Guid id, string status) =>
        payload.GetProperty("request").GetProperty("id").GetGuid() == id
        && payload.GetProperty("request").GetProperty("status").GetString() == status;

    private static Guid? Assigned(JsonElement payload) =>
        payload.GetProperty("request").TryGetProperty("assignedVolunteerId", out var v) && v.ValueKind == JsonValueKind.String ? v.GetGuid() : null;

    private static void AssertMasked(JsonNode request)
    {
        var text = request.ToJsonString();
        Assert.True(request["masked"]?.GetValue<bool>() == true, $"not the masked view: {text}");
        Assert.DoesNotContain(Address, text, StringComparison.Ordinal);
        Assert.DoesNotContain(CallerPhone, text, StringComparison.Ordinal);
        Assert.DoesNotContain("血压", text, StringComparison.Ordinal);
        Assert.Null(request["address"]);
        Assert.Null(request["callerPhone"]);
        Assert.Null(request["description"]);
        Assert.Null(request["position"]);
    }
}
