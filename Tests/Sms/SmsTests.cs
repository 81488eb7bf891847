using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Npgsql;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Outreach.Contracts;
using Outreach.Model;
using Outreach.Reach;
using Outreach.Tests.Browser;
using Outreach.Tests.Dispatch;
using Outreach.Tests.Infrastructure;
using Outreach.Tests.Live;

namespace Outreach.Tests.Sms;

/// <summary>
/// SMS and the family's status link on real processes: the silo's messages reach a local stand-in for Aliyun's API
/// that checks each request's signature, template and variables as the provider does; the provider's inbound push is
/// played by posting its documented JSON to the web node.
/// </summary>
[Category(TestCategory.Browser)]
public sealed class SmsTests(SmsSystemFixture fixture, BrowserFixture browser) : IClassFixture<SmsSystemFixture>, IClassFixture<BrowserFixture>
{
    private const string Address = "华龙区 中原路 2号院 5号楼 301";
    private const string Description = "老人血压高，需要买药并陪同";

    [Fact]
    public async Task Claim_TextsTheFamily_AndTheStatusLinkShowsSurnameAndEta_ThenArrivalAndCompletion_WithoutPersonalData()
    {
        var scene = new Scene(fixture.Web);
        using var hotline = await TestUsers.CreateAsync(fixture.Web, "operator");
        using var volunteer = await scene.VolunteerAsync(scene.Offset(300, 0), name: "王小明");
        var volunteerPhone = await PhoneOfAsync(volunteer.VolunteerId!.Value);
        var family = NewPhone();
        var id = await PostRequestAsync(hotline.Client, scene, "Urgent", family);

        var (claimStatus, claimed) = await volunteer.Client.PostAsync($"/api/requests/{id}/claim", null);
        Assert.True(claimStatus == HttpStatusCode.OK, $"claim: {(int)claimStatus} {claimed}");
        var eta = (int)Math.Ceiling(claimed!["assignedEtaMinutes"]!.GetValue<double>());

        var told = await fixture.Provider.WaitForAsync(m => m.Phone == family && m.Kind == "FamilyClaimed", "telling the family of the claim");
        Assert.Equal("王", told["surname"]);
        Assert.Equal(eta.ToString(CultureInfo.InvariantCulture), told["eta"]);
        var token = TokenOf(told["link"]);

        // The link's page and JSON, anonymous: status, surname, ETA, hotline; nothing personal.
        using var anonymous = new ApiClient(fixture.Web.Url);
        using (var page = await anonymous.Http.GetAsync($"/s/{token}"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("/js/status.js", html, StringComparison.Ordinal);
            AssertNoPersonalData(html, family, volunteerPhone);
        }
        var (status, raw) = await StatusAsync(anonymous, token);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Claimed", raw!["status"]!.GetValue<string>());
        Assert.Equal("王", raw["volunteerSurname"]!.GetValue<string>());
        Assert.Equal(eta, raw["etaMinutes"]!.GetValue<int>());
        Assert.Equal(SmsSystemFixture.Hotline, raw["hotline"]!.GetValue<string>());
        Assert.Contains($"志愿者王师傅已接单，预计{eta}分钟到达", raw["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(raw["volunteerDistanceM"]?.GetValue<double?>()); // off unless the union turns it on
        AssertNoPersonalData(raw.ToJsonString(), family, volunteerPhone);

        // Opening it is audited like any other read.
        using (var admin = await fixture.Web.AdminAsync())
        {
            var (auditStatus, audit) = await admin.GetAsync($"/api/audit?subject={id}");
            Assert.Equal(HttpStatusCode.OK, auditStatus);
            Assert.Contains(audit!["items"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "status.read");
        }

        // On the way, then there: the family is told, and the page's JSON follows.
        await AdvanceAsync(volunteer.Client, id, "EnRoute");
        Assert.Equal("EnRoute", (await StatusAsync(anonymous, token)).Body!["status"]!.GetValue<string>());
        await AdvanceAsync(volunteer.Client, id, "OnSite");
        var arrived = await fixture.Provider.WaitForAsync(m => m.Phone == family && m.Kind == "FamilyOnSite", "telling the family of the arrival");
        Assert.Equal("王", arrived["surname"]);
        Assert.NotEqual(token, TokenOf(arrived["link"])); // every message its own link
        var onSite = (await StatusAsync(anonymous, TokenOf(arrived["link"]))).Body!;
        Assert.Equal("OnSite", onSite["status"]!.GetValue<string>());
        Assert.Null(onSite["etaMinutes"]?.GetValue<int?>());

        await AdvanceAsync(volunteer.Client, id, "Completed");
        var done = await fixture.Provider.WaitForAsync(m => m.Phone == family && m.Kind == "FamilyCompleted", "telling the family of the completion");
        Assert.Equal(SmsSystemFixture.Hotline, done["hotline"]);
        var completed = (await StatusAsync(anonymous, token)).Body!;
        Assert.Equal("Completed", completed["status"]!.GetValue<string>());
        Assert.Contains($"如不满意请致电热线{SmsSystemFixture.Hotline}", completed["text"]!.GetValue<string>(), StringComparison.Ordinal);
        AssertNoPersonalData(completed.ToJsonString(), family, volunteerPhone);

        // Each step told once; the provider never refused one.
        Assert.Single(fixture.Provider.Accepted, m => m.Phone == family && m.Kind == "FamilyClaimed");
        Assert.Single(fixture.Provider.Accepted, m => m.Phone == family && m.Kind == "FamilyOnSite");
        Assert.Empty(fixture.Provider.Refused);

        // The request is closed: a node whose links expire at once answers 404 for page and JSON; this node still 200.
        var expiring = await fixture.System.StartExtraWebAsync(new Dictionary<string, string>(SmsSystemFixture.WebSettings)
        {
            ["Status__ExpireAfterClose"] = "00:00:00",
        });
        using var onExpiring = new ApiClient(expiring.Url);
        Assert.Equal(HttpStatusCode.NotFound, (await StatusAsync(onExpiring, token)).Status);
        using (var page = await onExpiring.Http.GetAsync($"/s/{token}"))
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await StatusAsync(anonymous, token)).Status);
    }

    [Fact]
    public async Task StatusPage_InChromium_ShowsTheStatusInWords_AndFollowsTheRequestLive()
    {
        var scene = new Scene(fixture.Web);
        using var hotline = await TestUsers.CreateAsync(fixture.Web, "operator");
        using var volunteer = await scene.VolunteerAsync(scene.Offset(300, 0), name: "欧阳娜娜");
        var family = NewPhone();
        var id = await PostRequestAsync(hotline.Client, scene, "Urgent", family);
        var (claimStatus, claimed) = await volunteer.Client.PostAsync($"/api/requests/{id}/claim", null);
        Assert.True(claimStatus == HttpStatusCode.OK, $"claim: {(int)claimStatus} {claimed}");
        var told = await fixture.Provider.WaitForAsync(m => m.Phone == family && m.Kind == "FamilyClaimed", "telling the family of the claim");
        await using var session = await PageSession.OpenAsync(browser, fixture.Web);

        await session.GotoAsync($"/s/{TokenOf(told["link"])}");

        var text = session.Page.Locator("#status-text");
        await Assertions.Expect(text).ToContainTextAsync("志愿者欧阳师傅已接单", new() { Timeout = 10_000 });
        await Assertions.Expect(session.Page.Locator("#status-hotline")).ToHaveTextAsync(SmsSystemFixture.Hotline);
        await Assertions.Expect(session.Page.Locator("#status-eta")).ToBeVisibleAsync();

        // No reload: the page follows the request by itself.
        await AdvanceAsync(volunteer.Client, id, "EnRoute");
        await AdvanceAsync(volunteer.Client, id, "OnSite");
        await Assertions.Expect(text).ToHaveAttributeAsync("data-status", "OnSite", new() { Timeout = 15_000 });
        await Assertions.Expect(text).ToContainTextAsync("志愿者欧阳师傅已到达");
        await Assertions.Expect(session.Page.Locator("#status-eta")).ToBeHiddenAsync();
        var html = await session.Page.ContentAsync();
        Assert.DoesNotContain("欧阳娜娜", html, StringComparison.Ordinal);
        AssertNoPersonalData(html, family, await PhoneOfAsync(volunteer.VolunteerId!.Value));
        await session.ScreenshotAsync();
        session.AssertNoScriptErrors();
    }

    [Theory]
    [InlineData("guessed")]
    [InlineData("short")]
    [InlineData("wrongchars")]
    public async Task StatusLink_GuessedOrMalformedToken_Is404(string kind)
    {
        var token = kind switch
        {
            "guessed" => Convert.ToBase64String(Guid.NewGuid().ToByteArray().Concat(new byte[2]).ToArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            "short" => "abc",
            _ => "!!!!!!!!!!!!!!!!!!!!!!!!",
        };
        using var anonymous = new ApiClient(fixture.Web.Url);

        var (status, body) = await StatusAsync(anonymous, token);
        using var page = await anonymous.Http.GetAsync($"/s/{Uri.EscapeDataString(token)}");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.DoesNotContain("status", body?["title"]?.GetValue<string>() ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmergencyOffer_NoDeviceAcknowledged_IsTextedToTheOptedIn_AndOnlyTheirCodeFromTheirPhoneClaims_Once()
    {
        var scene = new Scene(fixture.Web);
        using var hotline = await TestUsers.CreateAsync(fixture.Web, "operator");
        using var texter = await scene.VolunteerAsync(scene.Offset(200, 0), name: "李四");
        using var other = await scene.VolunteerAsync(scene.Offset(0, 250), name: "赵六");
        var (optIn, me) = await texter.Client.PutAsync("/api/volunteers/me/sms-offers", new SmsOffersRequest(true));
        Assert.True(optIn == HttpStatusCode.OK, $"opting in: {(int)optIn} {me}");
        Assert.True(me!["smsOffers"]!.GetValue<bool>());
        var texterPhone = National(await PhoneOfAsync(texter.VolunteerId!.Value));
        var otherPhone = National(await PhoneOfAsync(other.VolunteerId!.Value));
        var family = NewPhone();

        var id = await PostRequestAsync(hotline.Client, scene, "Emergency", family, category: "Medicine");

        var offer = await fixture.Provider.WaitForAsync(m => m.Phone == texterPhone && m.Kind == "VolunteerOffer", "offering by SMS");
        Assert.Equal("紧急", offer["urgency"]);
        Assert.Equal("药箱子", offer["category"]);
        Assert.Matches("^[0-9]{6}$", offer["code"]);
        Assert.DoesNotContain(fixture.Provider.Accepted, m => m.Phone == otherPhone); // not opted in
        var code = offer["code"];
        var wrong = ((int.Parse(code, CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

        // A wrong code, and the right code from another phone: refused, answered, nothing claimed.
        await InboundAsync(texterPhone, wrong);
        await fixture.Provider.WaitForAsync(m => m.Phone == texterPhone && m.Kind == "ReplyInvalid", "answering a wrong code");
        await InboundAsync(otherPhone, $"{code}");
        await fixture.Provider.WaitForAsync(m => m.Phone == otherPhone && m.Kind == "ReplyInvalid", "answering a code from another phone");
        Assert.Equal("Offered", (await RequestAsync(id))["status"]!.GetValue<string>());

        // The right code from the volunteer's phone claims as a tap would.
        await InboundAsync(texterPhone, $" {code} ");
        var answer = await fixture.Provider.WaitForAsync(m => m.Phone == texterPhone && m.Kind == "ReplyClaimed", "answering the claim");
        Assert.Equal(SmsSystemFixture.Hotline, answer["hotline"]);
        var request = await RequestAsync(id);
        Assert.Equal("Claimed", request["status"]!.GetValue<string>());
        Assert.Equal(texter.VolunteerId, request["assignedVolunteerId"]!.GetValue<Guid>());
        await fixture.Provider.WaitForAsync(m => m.Phone == family && m.Kind == "FamilyClaimed", "telling the family of the SMS claim");

        // Reused: refused.
        var invalidBefore = fixture.Provider.Accepted.Count(m => m.Phone == texterPhone && m.Kind == "ReplyInvalid");
        await InboundAsync(texterPhone, code);
        await fixture.Provider.WaitForAsync(
            _ => fixture.Provider.Accepted.Count(m => m.Phone == texterPhone && m.Kind == "ReplyInvalid") > invalidBefore, "answering a reused code");
        Assert.Single(fixture.Provider.Accepted, m => m.Phone == texterPhone && m.Kind == "ReplyClaimed");
        Assert.Empty(fixture.Provider.Refused);
    }

    /// <summary>
    /// Each "that code is not valid" answer is a paid text: a number that keeps sending wrong codes (here ten in one
    /// batch, as a stuck auto-responder would) is answered three times in the hour, then no more. Every message is
    /// still taken (the provider hears 200), and another number is answered as before.
    /// </summary>
    [Fact]
    public async Task WrongCodes_FromOneNumber_AreAnsweredThreeTimesInTheHour_ThenNoMore_AndOtherNumbersStillAre()
    {
        var (stuck, other) = (NewPhone(), NewPhone());
        var batch = Enumerable.Range(0, 10).Select(i => new
        {
            phone_number = stuck, send_time = "2026-11-30 08:00:00", content = $"{100_000 + i}", sign_name = AliyunSmsService.SignName,
            dest_code = "1234", sequence_id = Random.Shared.NextInt64(1, long.MaxValue),
        }).ToArray();
        using var provider = new ApiClient(fixture.Web.Url);

        var (status, answer) = await provider.PostAsync($"/api/sms/inbound/aliyun?token={SmsSystemFixture.InboundToken}", batch);
        await InboundAsync(stuck, "654321"); // later, on its own: still within the hour
        await InboundAsync(other, "654321");
        await fixture.Provider.WaitForAsync(m => m.Phone == other && m.Kind == "ReplyInvalid", "answering the other number");

        Assert.True(status == HttpStatusCode.OK, $"inbound: {(int)status} {answer}");
        Assert.Equal(0, answer!["code"]!.GetValue<int>());
        Assert.Equal(3, fixture.Provider.Accepted.Count(m => m.Phone == stuck));
        Assert.All(fixture.Provider.Accepted.Where(m => m.Phone == stuck), m => Assert.Equal("ReplyInvalid", m.Kind));
    }

    [Fact]
    public async Task InboundBatch_AnsweredPartWay_ThenDeliveredAgain_HandlesEachReplyOnce()
    {
        var scene = new Scene(fixture.Web);
        using var hotline = await TestUsers.CreateAsync(fixture.Web, "operator");
        using var first = await scene.VolunteerAsync(scene.Offset(200, 0), name: "钱一");
        using var second = await scene.VolunteerAsync(scene.Offset(0, 220), name: "孙二");
        foreach (var volunteer in new[] { first, second })
            Assert.Equal(HttpStatusCode.OK, (await volunteer.Client.PutAsync("/api/volunteers/me/sms-offers", new SmsOffersRequest(true))).Status);
        var (firstPhone, secondPhone) = (National(await PhoneOfAsync(first.VolunteerId!.Value)), National(await PhoneOfAsync(second.VolunteerId!.Value)));

        var one = await PostRequestAsync(hotline.Client, scene, "Emergency", NewPhone());
        var firstCode = (await fixture.Provider.WaitForAsync(m => m.Phone == firstPhone && m.Kind == "VolunteerOffer", "the first offer"))["code"];
        await fixture.Provider.WaitForAsync(m => m.Phone == secondPhone && m.Kind == "VolunteerOffer", "the first offer to the second");
        var two = await PostRequestAsync(hotline.Client, scene, "Emergency", NewPhone());
        await fixture.Provider.WaitForAsync(
            _ => fixture.Provider.Accepted.Count(m => m.Phone == secondPhone && m.Kind == "VolunteerOffer") == 2, "the second offer");
        var secondCode = fixture.Provider.Accepted.Last(m => m.Phone == secondPhone && m.Kind == "VolunteerOffer")["code"];
        var batch = new object[]
        {
            new { phone_number = firstPhone, send_time = "2026-11-30 08:00:00", content = firstCode, sign_name = AliyunSmsService.SignName, dest_code = "1234", sequence_id = Random.Shared.NextInt64(1, long.MaxValue) },
            new { phone_number = secondPhone, send_time = "2026-11-30 08:00:01", content = secondCode, sign_name = AliyunSmsService.SignName, dest_code = "1234", sequence_id = Random.Shared.NextInt64(1, long.MaxValue) },
        };
        using var provider = new ApiClient(fixture.Web.Url);
        var callback = $"/api/sms/inbound/aliyun?token={SmsSystemFixture.InboundToken}";

        // The second reply's claim cannot be written: the callback fails part-way, after the first reply claimed.
        HttpStatusCode failed;
        await using (await StorageFaults.FailWritesAsync(fixture.System.ConnectionString, "outreach_requests", $"NEW.id = '{two}' AND NEW.status = 'Claimed'"))
            (failed, _) = await provider.PostAsync(callback, batch);
        // The provider delivers the whole batch again.
        var (redelivered, answer) = await provider.PostAsync(callback, batch);
        await fixture.Provider.WaitForAsync(m => m.Phone == secondPhone && m.Kind == "ReplyClaimed", "answering the second claim");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed);
        Assert.True(redelivered == HttpStatusCode.OK, $"the redelivery answered {(int)redelivered} {answer}");
        Assert.Equal(first.VolunteerId, (await RequestAsync(one))["assignedVolunteerId"]!.GetValue<Guid>());
        Assert.Equal(second.VolunteerId, (await RequestAsync(two))["assignedVolunteerId"]!.GetValue<Guid>());
        Assert.Single(fixture.Provider.Accepted, m => m.Phone == firstPhone && m.Kind == "ReplyClaimed");
        Assert.DoesNotContain(fixture.Provider.Accepted, m => m.Phone == firstPhone && m.Kind == "ReplyInvalid");
        Assert.DoesNotContain(fixture.Provider.Accepted, m => m.Phone == secondPhone && m.Kind == "ReplyInvalid");
    }

    [Fact]
    public async Task InboundReply_WhoseHandlingAndItsUndoingFailed_IsHandledWhenDeliveredAgainAfterItsLease()
    {
        // The database is away while a reply is handled: the claim's write fails, and so do letting go of the message's
        // id and opening its code again. The provider hears 503 and delivers the message again: at once it hears 503
        // again (the first handling's lease), after the lease the reply claims and the volunteer is told so.
        var scene = new Scene(fixture.Web);
        using var hotline = await TestUsers.CreateAsync(fixture.Web, "operator");
        using var texter = await scene.VolunteerAsync(scene.Offset(180, 0), name: "周九");
        Assert.Equal(HttpStatusCode.OK, (await texter.Client.PutAsync("/api/volunteers/me/sms-offers", new SmsOffersRequest(true))).Status);
        var phone = National(await PhoneOfAsync(texter.VolunteerId!.Value));
        var id = await PostRequestAsync(hotline.Client, scene, "Emergency", NewPhone());
        var code = (await fixture.Provider.WaitForAsync(m => m.Phone == phone && m.Kind == "VolunteerOffer", "the SMS offer"))["code"];
        var sequenceId = Random.Shared.NextInt64(1, long.MaxValue);
        var message = new[] { new { phone_number = phone, send_time = "2026-11-30 08:00:00", content = code, sign_name = AliyunSmsService.SignName, dest_code = "1234", sequence_id = sequenceId } };
        using var provider = new ApiClient(fixture.Web.Url);
        var callback = $"/api/sms/inbound/aliyun?token={SmsSystemFixture.InboundToken}";
        var db = fixture.System.ConnectionString;

        HttpStatusCode failed;
        await using (await StorageFaults.FailWritesAsync(db, "outreach_requests", $"NEW.id = '{id}' AND NEW.status = 'Claimed'"))
        await using (await StorageFaults.FailDeletesAsync(db, "outreach_sms_inbound", $"OLD.provider_id = 'aliyun:{sequenceId}'"))
        await using (await StorageFaults.FailWritesAsync(db, "outreach_sms_codes", $"TG_OP = 'UPDATE' AND NEW.used_at IS NULL AND OLD.used_by = 'aliyun:{sequenceId}'"))
            (failed, _) = await provider.PostAsync(callback, message);
        using var atOnce = await provider.Http.PostAsJsonAsync(callback, message);
        await Task.Delay(SmsSystemFixture.InboundLease + TimeSpan.FromSeconds(1));
        var (afterLease, answer) = await provider.PostAsync(callback, message);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, atOnce.StatusCode);
        Assert.NotNull(atOnce.Headers.RetryAfter);
        Assert.True(afterLease == HttpStatusCode.OK, $"the delivery after the lease answered {(int)afterLease} {answer}");
        Assert.Equal("Claimed", (await RequestAsync(id))["status"]!.GetValue<string>());
        await fixture.Provider.WaitForAsync(m => m.Phone == phone && m.Kind == "ReplyClaimed", "answering the claim");
        Assert.DoesNotContain(fixture.Provider.Accepted, m => m.Phone == phone && m.Kind == "ReplyInvalid");
    }

    [Fact]
    public async Task Inbound_WithoutTheSecret_OrForAnotherProvider_OrMalformed_IsRefused_AndChangesNothing()
    {
        using var anonymous = new ApiClient(fixture.Web.Url);
        var body = new[] { new { phone_number = "13900000000", content = "123456", send_time = "2026-11-30 08:00:00", dest_code = "1234", sequence_id = 1 } };

        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.PostAsync("/api/sms/inbound/aliyun?token=wrong", body)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.PostAsync("/api/sms/inbound/aliyun", body)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsync($"/api/sms/inbound/tencent?token={SmsSystemFixture.InboundToken}", body)).Status);
        var (notArray, problem) = await anonymous.PostAsync($"/api/sms/inbound/aliyun?token={SmsSystemFixture.InboundToken}", new { phone_number = "1" });
        Assert.Equal(HttpStatusCode.BadRequest, notArray);
        Assert.NotNull(problem!["errors"]!["body"]);
        var (noContent, problem2) = await anonymous.PostAsync($"/api/sms/inbound/aliyun?token={SmsSystemFixture.InboundToken}", new[] { new { phone_number = "13900000000" } });
        Assert.Equal(HttpStatusCode.BadRequest, noContent);
        Assert.NotNull(problem2!["errors"]!["[0].content"]);
        var (badId, problem3) = await anonymous.PostAsync($"/api/sms/inbound/aliyun?token={SmsSystemFixture.InboundToken}",
            new[] { new { phone_number = "13900000000", content = "123456", sequence_id = "1; DROP" } });
        Assert.Equal(HttpStatusCode.BadRequest, badId);
        Assert.NotNull(problem3!["errors"]!["[0].sequence_id"]);
        Assert.DoesNotContain(fixture.Provider.Accepted, m => m.Phone == "13900000000");
    }

    [Fact]
    public async Task ProviderThatHangsOrFails_DelaysNothingElse_TheOfferReachesTheSocket_AndTheFailureIsRecorded()
    {
        var scene = new Scene(fixture.Web);
        using var hotline = await TestUsers.CreateAsync(fixture.Web, "operator");
        using var volunteer = await scene.VolunteerAsync(scene.Offset(150, 0), name: "孙七");
        await volunteer.Client.PutAsync("/api/volunteers/me/sms-offers", new SmsOffersRequest(true));
        await using var live = await LiveListener.ConnectAsync("volunteer", fixture.Web, volunteer.Client.Cookies);
        var family = NewPhone();
        fixture.Provider.Mode = ServiceMode.Hang;
        try
        {
            var id = await PostRequestAsync(hotline.Client, scene, "Emergency", family);
            await live.WaitForAsync(LiveEvents.Offer, p => p.GetProperty("requestId").GetGuid() == id, "the offer on the socket", TimeSpan.FromSeconds(10));

            // The SMS step (after 2 s) hangs at the provider; meanwhile a new offer still reaches the socket and the
            // claim is answered.
            await fixture.Provider.WaitForHangingAsync("the SMS offer");
            var second = await PostRequestAsync(hotline.Client, scene, "Urgent", NewPhone());
            await live.WaitForAsync(LiveEvents.Offer, p => p.GetProperty("requestId").GetGuid() == second, "an offer while the provider hangs", TimeSpan.FromSeconds(10));
            Assert.True(fixture.Provider.Hanging > 0, "the provider stopped hanging before the second offer was checked");
            var (claim, claimed) = await volunteer.Client.PostAsync($"/api/requests/{id}/claim", null);
            Assert.True(claim == HttpStatusCode.OK, $"claim: {(int)claim} {claimed}");

            // Both hanging messages (the offer, the family's claim news) end as failed "timeout" after the retry.
            var reach = fixture.Client.GetGrain<IRequestReachGrain>(id);
            var records = await WaitForRecordsAsync(reach, r =>
                r.Any(d => d is { Event: ReachEvents.Offer, Channel: ReachChannel.Sms, Outcome: DeliveryOutcomes.Failed })
                && r.Any(d => d is { Event: ReachEvents.Claimed, Channel: ReachChannel.Sms, Outcome: DeliveryOutcomes.Failed }));
            var offerFailure = records.Single(d => d is { Event: ReachEvents.Offer, Channel: ReachChannel.Sms });
            Assert.Equal(volunteer.VolunteerId, offerFailure.VolunteerId);
            Assert.Equal("timeout", offerFailure.Detail);
            Assert.Equal("timeout", records.Single(d => d is { Event: ReachEvents.Claimed, Channel: ReachChannel.Sms }).Detail);

            // A provider answering 500 (after the retry): failed with its code; the volunteer's report is not held up.
            fixture.Provider.Mode = ServiceMode.Fail500;
            await AdvanceAsync(volunteer.Client, id, "EnRoute");
            await AdvanceAsync(volunteer.Client, id, "OnSite");
            records = await WaitForRecordsAsync(reach, r => r.Any(d => d is { Event: ReachEvents.OnSite, Channel: ReachChannel.Sms }));
            var onSite = records.Single(d => d is { Event: ReachEvents.OnSite, Channel: ReachChannel.Sms });
            Assert.Equal((DeliveryOutcomes.Failed, "InternalError"), (onSite.Outcome, onSite.Detail));
            Assert.DoesNotContain(records, d => d.Detail?.Contains(family[^4..], StringComparison.Ordinal) == true);
        }
        finally
        {
            fixture.Provider.Mode = ServiceMode.Normal;
        }
    }

    private static async Task<DeliveryRecord[]> WaitForRecordsAsync(IRequestReachGrain reach, Func<DeliveryRecord[], bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var records = await reach.GetDeliveriesAsync();
            if (done(records))
                return records;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("The delivery record never showed the failed SMS: " + string.Join("; ", records.Select(r => $"{r.Event}/{r.Channel}/{r.Outcome}/{r.Detail}")));
            await Task.Delay(500);
        }
    }

    private async Task InboundAsync(string phone, string content)
    {
        using var anonymous = new ApiClient(fixture.Web.Url);
        var body = new[] { new { phone_number = phone, send_time = "2026-11-30 08:00:00", content, sign_name = AliyunSmsService.SignName, dest_code = "1234", sequence_id = Random.Shared.Next() } };
        var (status, answer) = await anonymous.PostAsync($"/api/sms/inbound/aliyun?token={SmsSystemFixture.InboundToken}", body);
        Assert.True(status == HttpStatusCode.OK, $"inbound: {(int)status} {answer}");
        Assert.Equal(0, answer!["code"]!.GetValue<int>());
    }

    private async Task<JsonNode> RequestAsync(Guid id)
    {
        using var admin = await fixture.Web.AdminAsync();
        var (status, body) = await admin.GetAsync($"/api/requests/{id}");
        Assert.Equal(HttpStatusCode.OK, status);
        return body!;
    }

    private async Task<string> PhoneOfAsync(Guid volunteerId)
    {
        using var admin = await fixture.Web.AdminAsync();
        var (_, body) = await admin.GetAsync($"/api/volunteers/{volunteerId}");
        return body!["phone"]!.GetValue<string>();
    }

    private static async Task AdvanceAsync(ApiClient volunteer, Guid id, string to)
    {
        var (status, body) = await volunteer.PostAsync($"/api/requests/{id}/status", new StatusBody(Enum.Parse<RequestStatus>(to)));
        Assert.True(status == HttpStatusCode.OK, $"{to}: {(int)status} {body}");
    }

    private static Task<(HttpStatusCode Status, JsonNode? Body)> StatusAsync(ApiClient client, string token) =>
        client.GetAsync($"/api/status/{Uri.EscapeDataString(token)}");

    private static async Task<Guid> PostRequestAsync(ApiClient hotline, Scene scene, string urgency, string callerPhone, string category = "Medicine")
    {
        var (status, body) = await hotline.PostRequestAsync(new NewRequestBody(
            CallerPhone: callerPhone,
            Category: Enum.Parse<HelpCategory>(category),
            Urgency: Enum.Parse<Urgency>(urgency),
            Position: new PositionDto(scene.Family.Lat, scene.Family.Lon),
            Address: Address,
            Description: Description));
        Assert.True(status == HttpStatusCode.Created, $"posting a request: {(int)status} {body}");
        return body!["id"]!.GetValue<Guid>();
    }

    /// <summary>The token of a status link, checking the link's shape: the public URL, /s/, 24 base64url characters.</summary>
    private static string TokenOf(string link)
    {
        Assert.StartsWith(SmsSystemFixture.PublicUrl + "/s/", link, StringComparison.Ordinal);
        var token = link[(SmsSystemFixture.PublicUrl.Length + 3)..];
        Assert.Matches("^[A-Za-z0-9_-]{24}$", token);
        return token;
    }

    private static void AssertNoPersonalData(string text, string familyPhone, string volunteerPhone)
    {
        foreach (var secret in new[] { familyPhone, familyPhone[3..], National(volunteerPhone), National(volunteerPhone)[3..], "中原路", "5号楼", "血压", "王小明" })
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
    }

    /// <summary>A mainland number as the provider writes it: 11 digits.</summary>
    private static string National(string e164) => e164.StartsWith("+86", StringComparison.Ordinal) ? e164[3..] : e164;

    private static string NewPhone() => "138" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);
}
