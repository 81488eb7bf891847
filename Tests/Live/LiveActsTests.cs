using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Outreach.Contracts;
using Outreach.Tests.Api;
using Outreach.Tests.Dispatch;
using Outreach.Tests.Infrastructure;
using Outreach.Tests.Push;

namespace Outreach.Tests.Live;

/// <summary>
/// What a volunteer's page does on the connection it already has instead of a new HTTP request — the claim (fifty
/// phones racing) and the position report (every phone, every 20 s): the same decision, answer, checks, audit and
/// per-account window as the API's, over a real SignalR connection.
/// </summary>
[Collection(SystemCollection.Name)]
[Category(TestCategory.System)]
public sealed class LiveActsTests(SystemFixture fixture)
{
    private WebNode Web => fixture.Web;

    [Fact]
    public async Task Claim_OnTheConnection_OneWinsTheWholeRequestAudited_TheOtherHearsTaken_AsOverTheApi()
    {
        var scene = new Scene(Web);
        using var hotline = await TestUsers.CreateAsync(Web, "operator");
        using var first = await scene.VolunteerAsync(scene.Offset(100, 0));
        using var second = await scene.VolunteerAsync(scene.Offset(0, 120));
        await using var firstLive = await LiveListener.ConnectAsync("first", Web, first.Client.Cookies);
        await using var secondLive = await LiveListener.ConnectAsync("second", Web, second.Client.Cookies);
        var id = await scene.RequestAsync(hotline.Client);
        await firstLive.WaitForAsync("offer", o => o.GetProperty("requestId").GetGuid() == id, "the offer");
        await secondLive.WaitForAsync("offer", o => o.GetProperty("requestId").GetGuid() == id, "the offer");

        var replies = await Task.WhenAll(
            firstLive.InvokeAsync<JsonElement>("Claim", id), secondLive.InvokeAsync<JsonElement>("Claim", id));

        var won = Assert.Single(replies, r => r.GetProperty("status").GetInt32() == 200);
        var lost = Assert.Single(replies, r => r.GetProperty("status").GetInt32() == 409);
        var request = won.GetProperty("body");
        Assert.Equal(id, request.GetProperty("id").GetGuid());
        Assert.Equal("Claimed", request.GetProperty("status").GetString());
        Assert.Equal("华龙区 中原路 2号院 5号楼 301", request.GetProperty("address").GetString());
        Assert.Equal("AlreadyTaken", lost.GetProperty("body").GetProperty("outcome").GetString());
        // Refused at once while the winner's claim is stored: the status is the stored one, or already the winner's.
        Assert.Contains(lost.GetProperty("body").GetProperty("requestStatus").GetString(), new[] { "Offered", "Claimed" });
        Assert.Equal(JsonValueKind.Null, lost.GetProperty("retryAfterSeconds").ValueKind);
        var winner = request.GetProperty("assignedVolunteerId").GetGuid();
        Assert.Contains(winner, new[] { first.VolunteerId!.Value, second.VolunteerId!.Value });

        // The whole request went to the winner on the connection: recorded like the API's answer.
        using var admin = await Web.AdminAsync();
        var (_, audit) = await admin.GetAsync($"/api/audit?subject={id}&pageSize=50");
        Assert.Single(audit!["items"]!.AsArray(), r => r!["action"]!.GetValue<string>() == "request.read"
            && r["detail"]?.GetValue<string>() == "full view");
        // And the API agrees: the loser's claim there is refused the same way.
        var loser = winner == first.VolunteerId ? second : first;
        var (again, problem) = await loser.Client.PostAsync($"/api/requests/{id}/claim", null);
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Equal("AlreadyTaken", problem!["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task Claim_AndReportPosition_OnAStaffConnection_AreRefused()
    {
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        await using var live = await LiveListener.ConnectAsync("coordinator", Web, coordinator.Client.Cookies);

        var claim = await Assert.ThrowsAsync<HubException>(() => live.InvokeAsync<JsonElement>("Claim", Guid.NewGuid()));
        var position = await Assert.ThrowsAsync<HubException>(() => live.InvokeAsync<JsonElement>("ReportPosition", new PositionReport(34.7, 113.6, 5)));

        Assert.Contains("unauthorized", claim.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("unauthorized", position.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ReportPosition_OnTheConnection_MovesTheVolunteer_ABadOneIs400NamingTheField_AndChangesNothing()
    {
        var scene = new Scene(Web);
        using var volunteer = await scene.VolunteerAsync(scene.Offset(0, 0));
        await using var live = await LiveListener.ConnectAsync("volunteer", Web, volunteer.Client.Cookies);
        var (lat, lon) = scene.Offset(250, -80);

        var moved = await live.InvokeAsync<JsonElement>("ReportPosition", new PositionReport(lat, lon, 12));
        var (_, afterMove) = await volunteer.Client.GetAsync("/api/volunteers/me");
        var bad = await live.InvokeAsync<JsonElement>("ReportPosition", new PositionReport(91, lon, 12));
        var worse = await live.InvokeAsync<JsonElement>("ReportPosition", new PositionReport(lat, 200, -1));
        var (_, afterBad) = await volunteer.Client.GetAsync("/api/volunteers/me");

        Assert.Equal(200, moved.GetProperty("status").GetInt32());
        Assert.Equal(lat, moved.GetProperty("body").GetProperty("lastPosition").GetProperty("position").GetProperty("lat").GetDouble(), 9);
        Assert.Equal(lat, afterMove!["lastPosition"]!["position"]!["lat"]!.GetValue<double>(), 9);
        Assert.Equal(400, bad.GetProperty("status").GetInt32());
        Assert.Equal(["lat"], bad.GetProperty("body").GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal(400, worse.GetProperty("status").GetInt32());
        Assert.Equal(["accuracyM", "lon"], worse.GetProperty("body").GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(afterMove["lastPosition"]!.ToJsonString(), afterBad!["lastPosition"]!.ToJsonString());
    }

    [Theory]
    [InlineData("Claim", "/api/requests/{id}/claim")]
    [InlineData("ReportPosition", "/api/volunteers/me/position")]
    [InlineData("Seen", "/api/volunteers/me/offers/{id}/seen")]
    public async Task PerAccountLimit_TheConnectionCountsInTheApisWindow_ThirdIs429WithTheWait(string method, string route)
    {
        var node = await ExtraNodes.GetAsync(fixture.System, "throttled-live", new Dictionary<string, string>
        {
            ["Outreach__RateLimits__Claim"] = "2",
            ["Outreach__RateLimits__Position"] = "2",
            ["Outreach__RateLimits__Seen"] = "2",
        });
        using var volunteer = await TestUsers.CreateAsync(Web, "volunteer");
        using var other = await TestUsers.CreateAsync(Web, "volunteer");
        using var client = node.As(volunteer.Client);
        await using var live = await LiveListener.ConnectAsync("volunteer", node, volunteer.Client.Cookies);
        await using var otherLive = await LiveListener.ConnectAsync("other", node, other.Client.Cookies);
        var id = Guid.NewGuid();
        object?[] arguments = method switch
        {
            "Claim" => [id],
            "Seen" => [id, "socket"],
            _ => [new PositionReport(34.75, 113.62, 10)],
        };

        var (overApi, _) = await client.PostAsync(route.Replace("{id}", id.ToString(), StringComparison.Ordinal),
            method == "ReportPosition" ? new PositionReport(34.75, 113.62, 10) : null);
        var second = await live.InvokeAsync<JsonElement>(method, arguments);
        var third = await live.InvokeAsync<JsonElement>(method, arguments);
        var otherReply = await otherLive.InvokeAsync<JsonElement>(method, arguments);

        Assert.NotEqual(HttpStatusCode.TooManyRequests, overApi);
        Assert.NotEqual(429, second.GetProperty("status").GetInt32());
        Assert.Equal(429, third.GetProperty("status").GetInt32());
        Assert.True(third.GetProperty("retryAfterSeconds").GetInt32() >= 1);
        Assert.Equal("Too many requests.", third.GetProperty("body").GetProperty("title").GetString());
        Assert.NotEqual(429, otherReply.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Seen_OnTheConnection_IsRecordedForWhomTheOfferIsOpen_NotForAStranger_ABadChannelIs400()
    {
        var scene = new Scene(Web);
        using var hotline = await TestUsers.CreateAsync(Web, "operator");
        using var volunteer = await scene.VolunteerAsync(scene.Offset(80, 40));
        using var stranger = await scene.VolunteerAsync(at: null, onDuty: false);
        await using var live = await LiveListener.ConnectAsync("volunteer", Web, volunteer.Client.Cookies);
        await using var strangerLive = await LiveListener.ConnectAsync("stranger", Web, stranger.Client.Cookies);
        var id = await scene.RequestAsync(hotline.Client);
        await live.WaitForAsync("offer", o => o.GetProperty("requestId").GetGuid() == id, "the offer");

        var bad = await live.InvokeAsync<JsonElement>("Seen", id, "Socket");
        var strangers = await strangerLive.InvokeAsync<JsonElement>("Seen", id, "socket");
        var seen = await live.InvokeAsync<JsonElement>("Seen", id, "socket");

        Assert.Equal(400, bad.GetProperty("status").GetInt32());
        Assert.Equal(["channel"], bad.GetProperty("body").GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal(202, strangers.GetProperty("status").GetInt32());
        Assert.Equal(202, seen.GetProperty("status").GetInt32());
        var rows = await Deliveries.WaitForAsync(fixture.System.ConnectionString, id, volunteer.VolunteerId!.Value,
            r => r is { Channel: "socket", Outcome: "seen" }, "socket seen");
        Assert.Single(rows, r => r is { Event: "offer", Channel: "socket", Outcome: "seen" });
        Assert.Empty(await Deliveries.ReadAsync(fixture.System.ConnectionString, id, stranger.VolunteerId!.Value));
    }
}
