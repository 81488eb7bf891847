using System.Net;
using System.Text.Json.Nodes;
using Outreach.Contracts;
using Outreach.Reach;
using Outreach.Tests.Dispatch;
using Outreach.Tests.Infrastructure;
using Outreach.Tests.Live;

namespace Outreach.Tests.Reach;

/// <summary>
/// A station's group hears of each offer and claim through its robots (WeCom, DingTalk): real silo and web
/// processes, real PostgreSQL, and the providers' webhooks stood up on loopback by <see cref="RobotProviders"/>,
/// which checks each post as the provider would (format, DingTalk's signature).
/// </summary>
[Category(TestCategory.System)]
public sealed class RobotTests(RobotSystemFixture fixture) : IClassFixture<RobotSystemFixture>
{
    private const string CallerPhone = "13803930001";
    private const string Address = "中原路 2号院";
    private const string Description = "老人血压高";

    private WebNode Web => fixture.Web;

    private RobotProviders Providers => fixture.Providers;

    [Fact]
    public async Task NewRequest_AtAStationWithBothRobots_BothGroupsHearTheOffer_ThenTheClaimByShortName()
    {
        var scene = new Scene(Web);
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        using var op = await TestUsers.CreateAsync(Web, "operator");
        var wecom = Providers.AddWeCom();
        var dingtalk = Providers.AddDingTalk(withSecret: true);
        var silo = fixture.System.Silos[0].Process;
        foreach (var secret in new[] { wecom.Key, dingtalk.Token, dingtalk.Secret! })
        {
            silo.Watch(secret);
            Web.Process.Watch(secret);
        }
        var stationId = await CreateStationAsync(coordinator.Client, scene, "胜利路驿站",
            new { kind = "wecom", url = wecom.Url }, new { kind = "dingtalk", url = dingtalk.Url, secret = dingtalk.Secret });
        // Saved again without the secret (as the editor does when the field is left blank): the secret is kept,
        // so the group's posts below are still signed with it.
        var (updated, station) = await coordinator.Client.PutAsync($"/api/stations/{stationId}", StationBody(scene, "胜利路驿站（华龙区）",
            new { kind = "wecom", url = wecom.Url }, new { kind = "dingtalk", url = dingtalk.Url }));
        Assert.True(updated == HttpStatusCode.OK, $"updating the station: {(int)updated} {station}");
        Assert.True(station!["robots"]![1]!["hasSecret"]!.GetValue<bool>());
        using var volunteer = await scene.VolunteerAsync(scene.Offset(300, 0), name: "欧阳明华");
        await using var live = await LiveListener.ConnectAsync(volunteer.Login, Web, volunteer.Client.Cookies);

        var id = await scene.RequestAsync(op.Client, category: "Medicine", urgency: "Urgent");

        await live.WaitForAsync(LiveEvents.Offer, p => p.GetProperty("requestId").GetGuid() == id, "the offer");
        var link = $"{RobotSystemFixture.PublicUrl}/volunteer?offer={id}";
        var posts = new[]
        {
            await Providers.WaitForAsync(wecom.Key, p => p.Text.Contains(link, StringComparison.Ordinal), "the offer's link"),
            await Providers.WaitForAsync(dingtalk.Token, p => p.Text.Contains(link, StringComparison.Ordinal), "the offer's link"),
        };
        foreach (var post in posts)
        {
            Assert.True(post.Errcode == 0, $"the provider refused the post: {post.Errcode} {post.Errmsg}");
            Assert.Equal("markdown", post.Body!["msgtype"]!.GetValue<string>());
            foreach (var part in new[] { "药箱子", "加急", "胜利路驿站", "已推送给 1 位志愿者", "求助" })
                Assert.Contains(part, post.Text, StringComparison.Ordinal);
        }
        Assert.Contains("timestamp=", posts[1].Query, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await volunteer.Client.PostAsync($"/api/requests/{id}/claim", null)).Status);

        foreach (var target in new[] { wecom.Key, dingtalk.Token })
        {
            var claimed = await Providers.WaitForAsync(target, p => p.Text.Contains("已被接单", StringComparison.Ordinal), "已被接单");
            Assert.True(claimed.Errcode == 0, $"the provider refused the post: {claimed.Errcode} {claimed.Errmsg}");
            Assert.Contains("欧阳师傅", claimed.Text, StringComparison.Ordinal);
        }
        foreach (var post in Providers.PostsTo(wecom.Key).Concat(Providers.PostsTo(dingtalk.Token)))
        {
            foreach (var personal in new[] { CallerPhone, Address, Description, "明华", volunteer.Login })
                Assert.DoesNotContain(personal, post.RawBody + post.Query, StringComparison.Ordinal);
        }

        var records = await fixture.DeliveriesAsync(id, r => Robot(r, ReachEvents.Claimed, DeliveryOutcomes.Accepted).Length == 2, "both claims accepted");
        Assert.Equal(["dingtalk", "wecom"], Robot(records, ReachEvents.Offer, DeliveryOutcomes.Accepted).Select(r => r.Detail).Order());
        Assert.Equal(["dingtalk", "wecom"], Robot(records, ReachEvents.Claimed, DeliveryOutcomes.Accepted).Select(r => r.Detail).Order());
        Assert.Empty(Robot(records, ReachEvents.Offer, DeliveryOutcomes.Failed));
        foreach (var secret in new[] { wecom.Key, dingtalk.Token, dingtalk.Secret! })
        {
            Assert.True(silo.Seen(secret) == 0, "the silo printed a robot's key, token or secret");
            Assert.True(Web.Process.Seen(secret) == 0, "the web node printed a robot's key, token or secret");
        }
    }

    [Fact]
    public async Task RobotThatFailsOrHangs_DelaysNotTheSocketOffer_AndTheFailureIsRecordedAfterRetries()
    {
        var scene = new Scene(Web);
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        using var op = await TestUsers.CreateAsync(Web, "operator");
        var broken = Providers.AddWeCom(RobotBehaviour.Http500);
        var hanging = Providers.AddDingTalk(withSecret: true, RobotBehaviour.Hang);
        await CreateStationAsync(coordinator.Client, scene, "黄河路驿站",
            new { kind = "wecom", url = broken.Url }, new { kind = "dingtalk", url = hanging.Url, secret = hanging.Secret });
        using var volunteer = await scene.VolunteerAsync(scene.Offset(0, 300));
        await using var live = await LiveListener.ConnectAsync(volunteer.Login, Web, volunteer.Client.Cookies);

        var id = await scene.RequestAsync(op.Client, urgency: "Emergency");

        await live.WaitForAsync(LiveEvents.Offer, p => p.GetProperty("requestId").GetGuid() == id, "the offer, while the group's robots fail");
        // Three attempts of two seconds each against the hanging robot: it is still being tried when the offer is live.
        Assert.Empty(Robot(await fixture.Client.GetGrain<IRequestReachGrain>(id).GetDeliveriesAsync(), ReachEvents.Offer, DeliveryOutcomes.Failed));
        var records = await fixture.DeliveriesAsync(id, r => Robot(r, ReachEvents.Offer, DeliveryOutcomes.Failed).Length == 2, "both robots failed");
        Assert.Equal(["dingtalk: timeout", "wecom: HTTP 500"], Robot(records, ReachEvents.Offer, DeliveryOutcomes.Failed).Select(r => r.Detail).Order());
        // Said in the silo's log by kind and outcome, never by address.
        Assert.True(fixture.System.Silos[0].Process.Printed("the wecom robot did not take the message (HTTP 500)"), "no warning in the silo's log");
        Assert.False(fixture.System.Silos[0].Process.Printed(broken.Key), "the silo printed a webhook's key");
        Assert.Equal(RobotSystemFixture.Attempts, Providers.PostsTo(broken.Key).Count);
        Assert.Equal(RobotSystemFixture.Attempts, Providers.PostsTo(hanging.Token).Count);
        // Each attempt was signed anew and passed the provider's check before it hung.
        Assert.All(Providers.PostsTo(hanging.Token), p => Assert.Equal(0, p.Errcode));

        // The request itself went on as usual.
        Assert.Equal(HttpStatusCode.OK, (await volunteer.Client.PostAsync($"/api/requests/{id}/claim", null)).Status);
    }

    public static TheoryData<string, object, string> BadRobots => new()
    {
        { "another host", new { kind = "wecom", url = "https://evil.example.com/cgi-bin/webhook/send?key=abc" }, "robots[0].url" },
        { "a look-alike host", new { kind = "wecom", url = "https://qyapi.weixin.qq.com.evil.example.com/cgi-bin/webhook/send?key=abc" }, "robots[0].url" },
        { "an IP literal", new { kind = "dingtalk", url = "https://10.0.0.5/robot/send?access_token=abc" }, "robots[0].url" },
        { "the metadata address", new { kind = "dingtalk", url = "http://169.254.169.254/robot/send?access_token=abc" }, "robots[0].url" },
        { "plain http to a provider", new { kind = "wecom", url = "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc" }, "robots[0].url" },
        { "user info", new { kind = "wecom", url = "https://x@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc" }, "robots[0].url" },
        { "another port", new { kind = "wecom", url = "https://qyapi.weixin.qq.com:8443/cgi-bin/webhook/send?key=abc" }, "robots[0].url" },
        { "another path", new { kind = "dingtalk", url = "https://oapi.dingtalk.com/other?access_token=abc" }, "robots[0].url" },
        { "the other provider's form", new { kind = "dingtalk", url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc" }, "robots[0].url" },
        { "a kind in other case", new { kind = "WeCom", url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc" }, "robots[0].kind" },
        { "no kind", new { url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc" }, "robots[0].kind" },
        { "a secret for WeCom", new { kind = "wecom", url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc", secret = "SEC0123456789abcdef" }, "robots[0].secret" },
        { "a DingTalk secret not from DingTalk", new { kind = "dingtalk", url = "https://oapi.dingtalk.com/robot/send?access_token=abc", secret = "hunter2 hunter2" }, "robots[0].secret" },
    };

    [Theory]
    [MemberData(nameof(BadRobots))]
    public async Task Station_WithARobotTheServerMustNotCall_Is400NamingTheField_AndNothingIsStored(string why, object robot, string field)
    {
        var scene = new Scene(Web);
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        var good = new { kind = "wecom", url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa" };
        var name = "驿站-" + Guid.NewGuid().ToString("N")[..8];
        var loopbackHttp = new { kind = "wecom", url = Providers.AddWeCom().Url };

        var (created, problem) = await coordinator.Client.PostAsync("/api/stations", StationBody(scene, name, robot));
        var (createdSecond, problemSecond) = await coordinator.Client.PostAsync("/api/stations", StationBody(scene, name, good, robot));
        var id = await CreateStationAsync(coordinator.Client, scene, name + "-ok", good, loopbackHttp);
        var (updated, problemOnUpdate) = await coordinator.Client.PutAsync($"/api/stations/{id}", StationBody(scene, name + "-changed", robot));

        Assert.True(created == HttpStatusCode.BadRequest, $"{why}: expected 400, got {(int)created} {problem}");
        Assert.Contains(field, problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(createdSecond == HttpStatusCode.BadRequest, $"{why} second: expected 400, got {(int)createdSecond}");
        Assert.Contains(field.Replace("[0]", "[1]", StringComparison.Ordinal), problemSecond!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(updated == HttpStatusCode.BadRequest, $"{why} on update: expected 400, got {(int)updated} {problemOnUpdate}");
        var (_, list) = await coordinator.Client.GetAsync("/api/stations");
        Assert.DoesNotContain(list!.AsArray(), s => s!["name"]!.GetValue<string>() is var n && (n == name || n == name + "-changed"));
        var (_, kept) = await coordinator.Client.GetAsync($"/api/stations/{id}");
        Assert.Equal([good.url, loopbackHttp.url], kept!["robots"]!.AsArray().Select(r => r!["url"]!.GetValue<string>()));
    }

    [Fact]
    public async Task RobotSecret_IsNeverAnswered_AndVolunteersSeeNoRobots()
    {
        var scene = new Scene(Web);
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        using var volunteer = await scene.VolunteerAsync(scene.Offset(100, 0));
        var dingtalk = Providers.AddDingTalk(withSecret: true);
        var id = await CreateStationAsync(coordinator.Client, scene, "开州路驿站", new { kind = "dingtalk", url = dingtalk.Url, secret = dingtalk.Secret });

        var answers = new List<string>();
        foreach (var path in new[] { $"/api/stations/{id}", "/api/stations", "/api/map/snapshot" })
        {
            var (status, body) = await coordinator.Client.GetAsync(path);
            Assert.True(status == HttpStatusCode.OK, $"{path}: {(int)status}");
            answers.Add(body!.ToJsonString());
        }
        var (_, one) = await coordinator.Client.GetAsync($"/api/stations/{id}");
        var robot = Assert.Single(one!["robots"]!.AsArray());
        Assert.Equal("dingtalk", robot!["kind"]!.GetValue<string>());
        Assert.Equal(dingtalk.Url, robot["url"]!.GetValue<string>());
        Assert.True(robot["hasSecret"]!.GetValue<bool>());
        Assert.Null(robot["secret"]);

        // An empty secret removes it; saving without robots keeps the robots.
        var (cleared, withoutSecret) = await coordinator.Client.PutAsync($"/api/stations/{id}",
            StationBody(scene, "开州路驿站", new { kind = "dingtalk", url = dingtalk.Url, secret = "" }));
        Assert.Equal(HttpStatusCode.OK, cleared);
        Assert.False(withoutSecret!["robots"]![0]!["hasSecret"]!.GetValue<bool>());
        var noRobots = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(StationBody(scene, "开州路驿站"), ApiClient.Json))!.AsObject();
        noRobots.Remove("robots");
        var (kept, keptBody) = await coordinator.Client.PutAsync($"/api/stations/{id}", noRobots.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, kept);
        Assert.Single(keptBody!["robots"]!.AsArray());

        var (_, asVolunteer) = await volunteer.Client.GetAsync($"/api/stations/{id}");
        var (_, listAsVolunteer) = await volunteer.Client.GetAsync("/api/stations");
        Assert.Empty(asVolunteer!["robots"]!.AsArray());
        answers.Add(asVolunteer.ToJsonString());
        answers.Add(listAsVolunteer!.ToJsonString());
        Assert.All(answers, a => Assert.DoesNotContain(dingtalk.Secret!, a, StringComparison.Ordinal));
        Assert.DoesNotContain(dingtalk.Token, answers[^1] + answers[^2], StringComparison.Ordinal);
    }

    private static DeliveryRecord[] Robot(DeliveryRecord[] records, string @event, string outcome) =>
        [.. records.Where(r => r.Channel == ReachChannel.Robot && r.Event == @event && r.Outcome == outcome)];

    private static object StationBody(Scene scene, string name, params object[] robots) => new
    {
        name,
        address = "华龙区 胜利路 100号",
        position = new { lat = scene.Family.Lat, lon = scene.Family.Lon },
        circleRadiusM = 3000,
        robots,
    };

    private static async Task<Guid> CreateStationAsync(ApiClient coordinator, Scene scene, string name, params object[] robots)
    {
        var (status, body) = await coordinator.PostAsync("/api/stations", StationBody(scene, name, robots));
        Assert.True(status == HttpStatusCode.Created, $"creating a station: {(int)status} {body}");
        return body!["id"]!.GetValue<Guid>();
    }
}
