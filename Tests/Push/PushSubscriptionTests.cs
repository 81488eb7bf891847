using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using Outreach.Contracts;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Push;

/// <summary>The subscription routes: kept once per endpoint, forgotten on DELETE and on logout, bad input refused by field.</summary>
[Collection(PushCollection.Name)]
[Category(TestCategory.System)]
public sealed class PushSubscriptionTests(PushSystemFixture fixture)
{
    private const string Path = "/api/volunteers/me/push-subscriptions";

    [Fact]
    public async Task VapidPublicKey_IsAnUncompressedP256Point_TheSameOnEveryCall()
    {
        using var volunteer = await TestUsers.CreateAsync(fixture.Web, "volunteer");

        var (status, body) = await volunteer.Client.GetAsync("/api/push/vapid-public-key");
        var (_, again) = await volunteer.Client.GetAsync("/api/push/vapid-public-key");

        Assert.Equal(HttpStatusCode.OK, status);
        var key = body!["publicKey"]!.GetValue<string>();
        var point = Base64Url.DecodeFromChars(key);
        Assert.Equal(65, point.Length);
        Assert.Equal(0x04, point[0]);
        Assert.Equal(key, again!["publicKey"]!.GetValue<string>());
    }

    [Fact]
    public async Task Subscribe_Returns201_TheSameEndpointAgain200_DeleteForgetsIt()
    {
        using var volunteer = await TestUsers.CreateAsync(fixture.Web, "volunteer");
        using var device = new TestPushDevice(fixture.PushService.NewEndpoint());

        var (first, _) = await volunteer.Client.PostAsync(Path, device.Subscription);
        var (second, _) = await volunteer.Client.PostAsync(Path, device.Subscription);

        Assert.Equal(HttpStatusCode.Created, first);
        Assert.Equal(HttpStatusCode.OK, second);
        Assert.Equal(1, await Deliveries.DeviceCountAsync(fixture.System.ConnectionString, volunteer.VolunteerId!.Value));

        var (deleted, _) = await volunteer.Client.SendAsync(HttpMethod.Delete, Path, new PushEndpointBody(device.Endpoint));

        Assert.Equal(HttpStatusCode.NoContent, deleted);
        Assert.Equal(0, await Deliveries.DeviceCountAsync(fixture.System.ConnectionString, volunteer.VolunteerId!.Value));
    }

    [Fact]
    public async Task TheSameEndpoint_SpelledWithAnUpperCaseHostOrItsDefaultPort_IsOneDevice()
    {
        using var volunteer = await TestUsers.CreateAsync(fixture.Web, "volunteer");
        var path = $"/fcm/send/{Guid.NewGuid():N}";
        using var device = new TestPushDevice("https://fcm.googleapis.com" + path);
        using var shouted = new TestPushDevice("https://FCM.GoogleAPIs.com" + path);
        using var ported = new TestPushDevice("https://fcm.googleapis.com:443" + path);

        var (first, _) = await volunteer.Client.PostAsync(Path, device.Subscription);
        var (second, _) = await volunteer.Client.PostAsync(Path, shouted.Subscription);
        var (third, _) = await volunteer.Client.PostAsync(Path, ported.Subscription);
        var kept = await Deliveries.DeviceCountAsync(fixture.System.ConnectionString, volunteer.VolunteerId!.Value);
        var (deleted, _) = await volunteer.Client.SendAsync(HttpMethod.Delete, Path, new PushEndpointBody(shouted.Endpoint));

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.OK], new[] { first, second, third });
        Assert.Equal(1, kept);
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        Assert.Equal(0, await Deliveries.DeviceCountAsync(fixture.System.ConnectionString, volunteer.VolunteerId!.Value));
    }

    [Fact]
    public async Task SeveralDevices_AreKeptSideBySide()
    {
        using var volunteer = await TestUsers.CreateAsync(fixture.Web, "volunteer");
        using var phone = new TestPushDevice(fixture.PushService.NewEndpoint());
        using var laptop = new TestPushDevice(fixture.PushService.NewEndpoint());

        Assert.Equal(HttpStatusCode.Created, (await volunteer.Client.PostAsync(Path, phone.Subscription)).Status);
        Assert.Equal(HttpStatusCode.Created, (await volunteer.Client.PostAsync(Path, laptop.Subscription)).Status);

        Assert.Equal(2, await Deliveries.DeviceCountAsync(fixture.System.ConnectionString, volunteer.VolunteerId!.Value));
    }

    [Fact]
    public async Task Logout_ForgetsTheDevicesThatSessionSubscribed()
    {
        using var volunteer = await TestUsers.CreateAsync(fixture.Web, "volunteer");
        using var device = new TestPushDevice(fixture.PushService.NewEndpoint());
        Assert.Equal(HttpStatusCode.Created, (await volunteer.Client.PostAsync(Path, device.Subscription)).Status);

        var (status, _) = await volunteer.Client.PostAsync("/api/auth/logout", null);

        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.Equal(0, await Deliveries.DeviceCountAsync(fixture.System.ConnectionString, volunteer.VolunteerId!.Value));
    }

    /// <summary>
    /// A browser subscribed in an earlier session (its cookie expired, the volunteer signed in again off duty, so the page
    /// did not hand the subscription over again): logging out names it, and it is forgotten with the session — the phone
    /// handed on gets no more offers. A blank or oversized endpoint is a 400 naming the field, and the session goes on.
    /// </summary>
    [Fact]
    public async Task Logout_NamingThisBrowsersEndpoint_ForgetsItAlsoWhenAnEarlierSessionSubscribedIt()
    {
        using var volunteer = await TestUsers.CreateAsync(fixture.Web, "volunteer");
        using var device = new TestPushDevice(fixture.PushService.NewEndpoint());
        using var other = new TestPushDevice(fixture.PushService.NewEndpoint());
        Assert.Equal(HttpStatusCode.Created, (await volunteer.Client.PostAsync(Path, device.Subscription)).Status);
        Assert.Equal(HttpStatusCode.Created, (await volunteer.Client.PostAsync(Path, other.Subscription)).Status);
        using var later = await fixture.Web.LoginAsync(volunteer.Login, TestUsers.Password);

        var (blank, problem) = await later.PostAsync("/api/auth/logout", new { pushEndpoint = " " });
        var (tooLong, _) = await later.PostAsync("/api/auth/logout", new { pushEndpoint = "https://fcm.googleapis.com/" + new string('x', 2100) });
        var stillIn = (await later.GetAsync("/api/me")).Status;
        var (status, _) = await later.PostAsync("/api/auth/logout", new { pushEndpoint = device.Endpoint });

        Assert.Equal(HttpStatusCode.BadRequest, blank);
        Assert.Contains("pushEndpoint", problem!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong);
        Assert.Equal(HttpStatusCode.OK, stillIn);
        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.Equal(1, await Deliveries.DeviceCountAsync(fixture.System.ConnectionString, volunteer.VolunteerId!.Value)); // the other phone's
        Assert.Equal(HttpStatusCode.OK, (await volunteer.Client.GetAsync("/api/me")).Status); // the earlier session goes on
    }

    [Fact]
    public async Task Logout_ForgetsOnlyThatSessionsDevices_AlsoOfTwoLoginsInTheSameSecond()
    {
        using var volunteer = await TestUsers.CreateAsync(fixture.Web, "volunteer");
        // Logins in the same second until two are (the session used to be told apart by the second it was issued in).
        ApiClient first, second;
        while (true)
        {
            var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds(); // the web node runs on this machine's clock
            first = await fixture.Web.LoginAsync(volunteer.Login, TestUsers.Password);
            second = await fixture.Web.LoginAsync(volunteer.Login, TestUsers.Password);
            if (DateTimeOffset.UtcNow.ToUnixTimeSeconds() == before)
                break;
            first.Dispose();
            second.Dispose();
        }
        using (first)
        using (second)
        {
            using var firstDevice = new TestPushDevice(fixture.PushService.NewEndpoint());
            using var secondDevice = new TestPushDevice(fixture.PushService.NewEndpoint());
            Assert.Equal(HttpStatusCode.Created, (await first.PostAsync(Path, firstDevice.Subscription)).Status);
            Assert.Equal(HttpStatusCode.Created, (await second.PostAsync(Path, secondDevice.Subscription)).Status);

            var (status, _) = await first.PostAsync("/api/auth/logout", null);

            Assert.Equal(HttpStatusCode.NoContent, status);
            Assert.Equal(1, await Deliveries.DeviceCountAsync(fixture.System.ConnectionString, volunteer.VolunteerId!.Value));
            Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/me")).Status);
        }
    }

    public static TheoryData<string, string, string> BadSubscriptions => new()
    {
        // field, endpoint ("ok" = a fresh good one), p256dh/auth tweak
        { "endpoint", "ftp://127.0.0.1/push/x", "" },
        { "endpoint", "not a url", "" },
        { "endpoint", "https://10.0.0.5/push/x", "" },
        { "endpoint", "https://push.example.org:8443/push/x", "" },
        { "endpoint", "https://user:pw@push.example.org/push/x", "" },
        { "endpoint", "https://foo.localhost./push/x", "" },            // a trailing dot is the same name
        { "endpoint", "https://LOCALHOST./push/x", "" },
        { "endpoint", "https://fcm.googleapis.com./push/x", "" },
        { "endpoint", "https://metadata.google.internal/computeMetadata/v1/", "" },
        { "endpoint", "https://kubernetes.default.svc/api", "" },
        { "endpoint", "https://printer.local/push/x", "" },
        { "keys.p256dh", "ok", "p256dh-short" },
        { "keys.p256dh", "ok", "p256dh-not-base64" },
        { "keys.p256dh", "ok", "p256dh-off-curve" },
        { "keys.auth", "ok", "auth-long" },
        { "keys", "ok", "auth-missing" }, // the body cannot be read: 400 naming keys (auth is required in it)
        { "", "ok", "no-keys" },            // the body cannot be read: a required property missing
    };

    [Theory]
    [MemberData(nameof(BadSubscriptions))]
    public async Task Subscribe_WithABadField_Returns400NamingIt_AndKeepsNothing(string field, string endpoint, string tweak)
    {
        using var volunteer = await TestUsers.CreateAsync(fixture.Web, "volunteer");
        using var device = new TestPushDevice(endpoint == "ok" ? fixture.PushService.NewEndpoint() : endpoint);
        var p256dh = Base64Url.EncodeToString(device.PublicKey);
        var offCurve = (byte[])device.PublicKey.Clone();
        offCurve[64] ^= 0x01;
        object body = tweak switch
        {
            "p256dh-short" => new { endpoint = device.Endpoint, keys = new { p256dh = p256dh[..40], auth = Base64Url.EncodeToString(device.AuthSecret) } },
            "p256dh-not-base64" => new { endpoint = device.Endpoint, keys = new { p256dh = "%%%" + p256dh[3..], auth = Base64Url.EncodeToString(device.AuthSecret) } },
            "p256dh-off-curve" => new { endpoint = device.Endpoint, keys = new { p256dh = Base64Url.EncodeToString(offCurve), auth = Base64Url.EncodeToString(device.AuthSecret) } },
            "auth-long" => new { endpoint = device.Endpoint, keys = new { p256dh, auth = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)) } },
            "auth-missing" => new { endpoint = device.Endpoint, keys = new { p256dh } },
            "no-keys" => new PushEndpointBody(device.Endpoint),
            _ => device.Subscription,
        };

        var (status, problem) = await volunteer.Client.PostAsync(Path, body);

        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status} {problem}");
        // Named in errors (a rule broken) or as the field that could not be read (a required property missing).
        Assert.True(field.Length == 0 ? problem!["detail"]!.GetValue<string>().Contains("'keys'", StringComparison.Ordinal)
            : problem!["errors"]?[field] is not null || problem["field"]?.GetValue<string>() == field, $"{field} named in {problem}");
        Assert.Equal(0, await Deliveries.DeviceCountAsync(fixture.System.ConnectionString, volunteer.VolunteerId!.Value));
    }

    [Fact]
    public async Task OtherRoles_CannotSubscribe()
    {
        using var coordinator = await TestUsers.CreateAsync(fixture.Web, "coordinator");
        using var device = new TestPushDevice(fixture.PushService.NewEndpoint());

        var (status, _) = await coordinator.Client.PostAsync(Path, device.Subscription);
        var (key, _) = await coordinator.Client.GetAsync("/api/push/vapid-public-key");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(HttpStatusCode.Forbidden, key);
    }

    [Fact]
    public async Task Seen_WithAnUnknownChannelWord_Returns400NamingChannel()
    {
        using var volunteer = await TestUsers.CreateAsync(fixture.Web, "volunteer");

        var (status, problem) = await volunteer.Client.PostAsync($"/api/volunteers/me/offers/{Guid.NewGuid()}/seen?channel=Socket", null);
        var (unknown, _) = await volunteer.Client.PostAsync($"/api/volunteers/me/offers/{Guid.NewGuid()}/seen", null);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(problem!["errors"]!["channel"]);
        Assert.Equal(HttpStatusCode.NoContent, unknown); // an offer that is not theirs: nothing recorded, nothing told
    }
}

/// <summary>Without <c>Push__AllowHttpEndpoints</c> (the default) an http:// endpoint is refused, loopback or not.</summary>
[Collection(SystemCollection.Name)]
[Category(TestCategory.System)]
public sealed class PushEndpointDefaultsTests(SystemFixture fixture)
{
    [Fact]
    public async Task Subscribe_HttpEndpoint_WithoutTheSetting_Returns400Endpoint()
    {
        using var volunteer = await TestUsers.CreateAsync(fixture.Web, "volunteer");
        using var device = new TestPushDevice("http://127.0.0.1:9/push/device");

        var (status, problem) = await volunteer.Client.PostAsync("/api/volunteers/me/push-subscriptions", device.Subscription);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(problem!["errors"]!["endpoint"]);
    }

    [Fact]
    public async Task Subscribe_HttpsEndpointOfAPushService_Returns201()
    {
        using var volunteer = await TestUsers.CreateAsync(fixture.Web, "volunteer");
        using var device = new TestPushDevice($"https://fcm.googleapis.com/fcm/send/{Guid.NewGuid():N}");

        var (status, body) = await volunteer.Client.PostAsync("/api/volunteers/me/push-subscriptions", device.Subscription);

        Assert.True(status == HttpStatusCode.Created, $"{(int)status} {body}");
    }
}
