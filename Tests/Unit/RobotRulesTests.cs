using System.Net;
using Outreach.Grains.Reach;
using Outreach.Grains.Reach.Robots;
using Outreach.Grains.Stations;
using Outreach.Model;
using Outreach.Reach;
using Outreach.Stations;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary>The pure parts of the station robots: which webhooks may be called, names, answers, signatures, messages.</summary>
[Category(TestCategory.Unit)]
public sealed class RobotRulesTests
{
    private static readonly RobotOptions Defaults = new();
    private static readonly RobotOptions Tests = new() { AllowedHosts = "qyapi.weixin.qq.com, oapi.dingtalk.com,127.0.0.1:5999", AllowHttp = true };

    [Theory]
    [InlineData(RobotKind.WeCom, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa")]
    [InlineData(RobotKind.WeCom, "https://QYAPI.weixin.qq.com/cgi-bin/webhook/send?key=abc")]
    [InlineData(RobotKind.WeCom, "https://qyapi.weixin.qq.com:443/cgi-bin/webhook/send?key=abc")]
    [InlineData(RobotKind.DingTalk, "https://oapi.dingtalk.com/robot/send?access_token=50cb6e954c89afa14fb97754eafd886d")]
    public void ProviderWebhooks_AreAllowed(RobotKind kind, string url) => Assert.Null(RobotRules.UrlProblem(kind, url, Defaults));

    [Theory]
    [InlineData(RobotKind.WeCom, "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc")]
    [InlineData(RobotKind.WeCom, "https://qyapi.weixin.qq.com./cgi-bin/webhook/send?key=abc")]
    [InlineData(RobotKind.WeCom, "https://a.qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc")]
    [InlineData(RobotKind.WeCom, "https://qyapi.weixin.qq.com:444/cgi-bin/webhook/send?key=abc")]
    [InlineData(RobotKind.WeCom, "https://user:pw@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc")]
    [InlineData(RobotKind.WeCom, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc#x")]
    [InlineData(RobotKind.WeCom, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc&debug=1")]
    [InlineData(RobotKind.WeCom, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send")]
    [InlineData(RobotKind.WeCom, "https://qyapi.weixin.qq.com/cgi-bin/../webhook/send?key=abc")]
    [InlineData(RobotKind.WeCom, "https://qyapi.weixin.qq.com/x/../cgi-bin/webhook/send?key=abc")]
    [InlineData(RobotKind.WeCom, "https://qyapi.weixin.qq.com/cgi-bin/./webhook/send?key=abc")]
    [InlineData(RobotKind.DingTalk, "https://oapi.dingtalk.com/x/%2E%2e/robot/send?access_token=abc")]
    [InlineData(RobotKind.DingTalk, "https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1")]
    [InlineData(RobotKind.WeCom, "https://qyapi.weixin.qq.com/cgi-bin/webhook/sen%64?key=abc")]
    [InlineData(RobotKind.WeCom, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?%6bey=abc")]
    [InlineData(RobotKind.WeCom, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=ab%63")]
    [InlineData(RobotKind.DingTalk, "https://127.0.0.1/robot/send?access_token=abc")]
    [InlineData(RobotKind.DingTalk, "https://0x7f.0.0.1/robot/send?access_token=abc")]
    [InlineData(RobotKind.DingTalk, "https://[::1]/robot/send?access_token=abc")]
    [InlineData(RobotKind.DingTalk, "https://localhost/robot/send?access_token=abc")]
    [InlineData(RobotKind.DingTalk, "file:///etc/passwd")]
    [InlineData(RobotKind.DingTalk, "/robot/send?access_token=abc")]
    [InlineData(RobotKind.DingTalk, "")]
    public void OtherAddresses_AreRefused(RobotKind kind, string url) => Assert.NotNull(RobotRules.UrlProblem(kind, url, Defaults));

    [Theory]
    [InlineData("http://127.0.0.1:5999/robot/send?access_token=abc", true)]
    [InlineData("https://127.0.0.1:5999/robot/send?access_token=abc", true)]
    [InlineData("http://127.0.0.1:6000/robot/send?access_token=abc", false)]
    [InlineData("http://127.0.0.1/robot/send?access_token=abc", false)]
    [InlineData("http://oapi.dingtalk.com/robot/send?access_token=abc", false)]
    public void ListedLoopback_WithAllowHttp_TakesHttpOnItsPortOnly(string url, bool allowed) =>
        Assert.Equal(allowed, RobotRules.UrlProblem(RobotKind.DingTalk, url, Tests) is null);

    [Fact]
    public void ListedLoopback_WithoutAllowHttp_TakesNoHttp() =>
        Assert.NotNull(RobotRules.UrlProblem(RobotKind.DingTalk, "http://127.0.0.1:5999/robot/send?access_token=abc",
            new RobotOptions { AllowedHosts = Tests.AllowedHosts }));

    [Theory]
    [InlineData(RobotKind.WeCom, null, true)]
    [InlineData(RobotKind.WeCom, "", true)]
    [InlineData(RobotKind.WeCom, "SEC0123456789", false)]
    [InlineData(RobotKind.DingTalk, "SEC5a3ecf88f2b3eb50db30ecfc00f53033ac909c99bf7f88fd612bda89d7f3a9dc", true)]
    [InlineData(RobotKind.DingTalk, "5a3ecf88f2b3eb50db30ecfc00f5", false)]
    [InlineData(RobotKind.DingTalk, "SEC 5a3ecf88f2b3", false)]
    [InlineData(RobotKind.DingTalk, "SECshort", false)]
    public void Secrets_FollowTheProviders(RobotKind kind, string? secret, bool allowed) =>
        Assert.Equal(allowed, RobotRules.SecretProblem(kind, secret) is null);

    [Fact]
    public void DingTalkSignature_MatchesAnIndependentComputation()
    {
        // Python: base64(hmac.new(secret, f"{ts}\n{secret}", sha256).digest()), quoted with safe=''.
        const string secret = "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd";
        Assert.Equal("8SZas7RY4E7wuOlgLfjLwHSKZpyUEdXdLvFYSDZiiFw=", DingTalkSignature.Sign(secret, 1_700_000_000_000));
        Assert.Equal("&timestamp=1700000000000&sign=8SZas7RY4E7wuOlgLfjLwHSKZpyUEdXdLvFYSDZiiFw%3D",
            DingTalkSignature.Query(secret, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000)));
    }

    [Theory]
    [InlineData("王芳", "王师傅")]
    [InlineData("欧阳明华", "欧阳师傅")]
    [InlineData("欧阳", "欧师傅")]
    [InlineData(" 张建国 ", "张师傅")]
    [InlineData("Li Wei", "Li")]
    [InlineData("", "志愿者")]
    [InlineData(null, "志愿者")]
    public void ClaimerName_ForTheGroup_IsNeverTheFullName(string? name, string expected) => Assert.Equal(expected, ClaimerNames.ForGroup(name));

    [Theory]
    [InlineData(HttpStatusCode.OK, """{"errcode":0,"errmsg":"ok"}""", true, false, "ok")]
    [InlineData(HttpStatusCode.OK, """{"errcode":310000,"errmsg":"sign not match"}""", false, false, "errcode 310000")]
    [InlineData(HttpStatusCode.OK, """{"errcode":93000,"errmsg":"invalid webhook url"}""", false, false, "errcode 93000")]
    [InlineData(HttpStatusCode.OK, """{"errcode":130101,"errmsg":"send too fast"}""", false, true, "errcode 130101")]
    [InlineData(HttpStatusCode.OK, """{"errcode":45009,"errmsg":"api freq out of limit"}""", false, true, "errcode 45009")]
    [InlineData(HttpStatusCode.OK, "<html>", false, false, "unreadable answer")]
    [InlineData(HttpStatusCode.InternalServerError, "", false, true, "HTTP 500")]
    [InlineData(HttpStatusCode.TooManyRequests, "", false, true, "HTTP 429")]
    [InlineData(HttpStatusCode.Found, "", false, false, "HTTP 302")]
    [InlineData(HttpStatusCode.NotFound, "", false, false, "HTTP 404")]
    public void Answers_AreReadAsTheProvidersDocumentThem(HttpStatusCode status, string body, bool accepted, bool retryable, string detail) =>
        Assert.Equal(new RobotAnswer(accepted, retryable, detail), RobotAnswer.Read(status, body));

    [Fact]
    public void Merge_KeepsTheSecretOfTheSameRobotOnly_AndEmptyRemovesIt()
    {
        RobotSetting[] stored =
        [
            new(RobotKind.DingTalk, "https://oapi.dingtalk.com/robot/send?access_token=a", "SECa"),
            new(RobotKind.DingTalk, "https://oapi.dingtalk.com/robot/send?access_token=b", "SECb"),
        ];
        var merged = StationRobotsMerge.Merge(stored,
        [
            new(RobotKind.DingTalk, "https://oapi.dingtalk.com/robot/send?access_token=a", null),
            new(RobotKind.DingTalk, "https://oapi.dingtalk.com/robot/send?access_token=b", ""),
            new(RobotKind.DingTalk, "https://oapi.dingtalk.com/robot/send?access_token=c", null),
        ]);
        Assert.Equal(["SECa", null, null], merged.Select(r => r.Secret));
    }

    [Fact]
    public void Message_OfAnOffer_HasTheAreaCountAndLink_AndNoMarkupFromTheStationName()
    {
        var id = Guid.NewGuid();
        var message = RobotMessage.For(new RobotNews(ReachEvents.Offer, id, HelpCategory.Groceries, Urgency.Emergency, 3, null),
            "胜利路[驿站](http://evil)<b>", "https://outreach.example.org/");

        var content = message.Body(RobotKind.WeCom)["markdown"]!["content"]!.GetValue<string>();
        Assert.Contains("菜篮子（紧急）", content, StringComparison.Ordinal);
        Assert.Contains("已推送给 3 位志愿者", content, StringComparison.Ordinal);
        Assert.Contains($"(https://outreach.example.org/volunteer?offer={id})", content, StringComparison.Ordinal);
        Assert.Contains("区域：胜利路驿站http://evilb附近", content, StringComparison.Ordinal);
        var dingtalk = message.Body(RobotKind.DingTalk)["markdown"]!;
        Assert.Equal("新求助：菜篮子（紧急）", dingtalk["title"]!.GetValue<string>());
    }

    [Fact]
    public void TheSameRobotTwice_HoweverItsHostIsSpelled_IsRefusedNamingTheSecond()
    {
        var station = new Outreach.Contracts.StationRequest("驿站", "华龙区 中原路 2号院", new Outreach.Contracts.PositionDto(35.76, 115.03), Robots:
        [
            new("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=abc"),
            new("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"),
            new("dingtalk", "https://OAPI.dingtalk.com:443/robot/send?access_token=abc"),
        ]);
        var distinct = station with { Robots = [station.Robots![0], station.Robots[1]] };

        Assert.Equal("robots[2].url", station.ToRobots(Defaults).Field);
        Assert.Equal(2, distinct.ToRobots(Defaults).Robots!.Length);
    }
}
