using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Outreach.Contracts;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Api;

/// <summary>The growing login delay per name, the per-address login limit and the per-account limits.</summary>
[Collection(SystemCollection.Name)]
[Category(TestCategory.System)]
public sealed class ThrottleTests(SystemFixture fixture)
{
    // Each login of the per-name tests comes from a new address: the per-address limit of this node is 3.

    /// <summary>A node with short login delays (the shared ones wait 30 s) and low limits, behind a "proxy" at 127.0.0.1.</summary>
    private Task<WebNode> ThrottledAsync() => ExtraNodes.GetAsync(fixture.System, "throttled", new Dictionary<string, string>
    {
        ["Outreach__Login__FirstDelay"] = "00:00:01",
        ["Outreach__ForwardedHeaders__KnownProxies__0"] = "127.0.0.1",
        ["Outreach__RateLimits__LoginPerAddress"] = "3",
        ["Outreach__RateLimits__Intake"] = "2",
        ["Outreach__RateLimits__Claim"] = "2",
        ["Outreach__RateLimits__Position"] = "2",
        ["Outreach__RateLimits__Notes"] = "2",
    });

    [Fact]
    public async Task Login_WrongPasswords_GrowingWaitWith429AndRetryAfter_NotALock_TheRightPasswordGetsInAfterIt()
    {
        var node = await ThrottledAsync();
        using var user = await TestUsers.CreateAsync(fixture.Web, "operator");
        using var client = node.Anonymous();

        var free = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
            free.Add((await LoginAsync(client, NewAddress(), user.Login, "guess-" + i)).StatusCode);
        using var firstWait = await LoginAsync(client, NewAddress(), user.Login, TestUsers.Password);
        var firstProblem = await firstWait.Content.ReadFromJsonAsync<JsonObject>();
        await Task.Delay(firstWait.Headers.RetryAfter!.Delta!.Value + TimeSpan.FromMilliseconds(200));
        using var fifth = await LoginAsync(client, NewAddress(), user.Login, "guess-5");
        using var secondWait = await LoginAsync(client, NewAddress(), user.Login.ToUpperInvariant(), TestUsers.Password);
        await Task.Delay(secondWait.Headers.RetryAfter!.Delta!.Value + TimeSpan.FromMilliseconds(200));
        using var right = await LoginAsync(client, NewAddress(), user.Login, TestUsers.Password);

        Assert.All(free, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, firstWait.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), firstWait.Headers.RetryAfter.Delta);
        Assert.Equal("Too many failed logins.", firstProblem!["title"]!.GetValue<string>());
        Assert.Equal(1, firstProblem["retryAfterSeconds"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Unauthorized, fifth.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, secondWait.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), secondWait.Headers.RetryAfter.Delta);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task Login_SpellingsOfOneName_ShareItsWait()
    {
        using var admin = await fixture.Web.AdminAsync();
        var login = "k" + Guid.NewGuid().ToString("N")[..10];
        var (created, _) = await admin.PostAsync("/api/accounts", new CreateAccountRequest(login, TestUsers.Password, "开尔文", ["operator"]));
        var node = await ThrottledAsync();
        using var client = node.Anonymous();
        var kelvin = "\u212A" + login[1..];

        for (var i = 0; i < 3; i++)
            (await LoginAsync(client, NewAddress(), i % 2 == 0 ? kelvin : " " + login.ToUpperInvariant(), "guess-" + i)).Dispose();
        using var fourth = await LoginAsync(client, NewAddress(), login, "guess-3");
        using var waiting = await LoginAsync(client, NewAddress(), login, TestUsers.Password);

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(HttpStatusCode.Unauthorized, fourth.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, waiting.StatusCode);
    }

    [Fact]
    public async Task Login_PerAddress_Is429WithRetryAfterAndProblem_OtherAddressesGoOn()
    {
        var node = await ThrottledAsync();
        using var client = node.Anonymous();
        var busy = NewAddress();

        var allowed = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
            allowed.Add((await LoginAsync(client, busy, "nobody-" + Guid.NewGuid().ToString("N")[..8], "whatever-it-is")).StatusCode);
        using var refused = await LoginAsync(client, busy, "nobody-else", "whatever-it-is");
        var problem = await refused.Content.ReadFromJsonAsync<JsonObject>();
        using var other = await LoginAsync(client, NewAddress(), "nobody-else", "whatever-it-is");

        Assert.All(allowed, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After");
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Too many requests.", problem!["title"]!.GetValue<string>());
        Assert.True(problem["retryAfterSeconds"]!.GetValue<int>() >= 1);
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
    }

    [Theory]
    [InlineData("operator", "/api/requests")]
    [InlineData("operator", "/api/requests/{id}/notes")]
    [InlineData("volunteer", "/api/requests/{id}/claim")]
    [InlineData("volunteer", "/api/volunteers/me/position")]
    public async Task PerAccountLimit_ThirdCallIs429WithRetryAfter_AnotherAccountGoesOn(string role, string route)
    {
        var node = await ThrottledAsync();
        using var user = await TestUsers.CreateAsync(fixture.Web, role);
        using var other = await TestUsers.CreateAsync(fixture.Web, role);
        using var client = node.As(user.Client);
        using var otherClient = node.As(other.Client);
        var path = route.Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal);

        var first = (await client.PostAsync(path, new { })).Status;
        var second = (await client.PostAsync(path, new { })).Status;
        using var third = await client.Http.PostAsJsonAsync(path, new { });
        var problem = await third.Content.ReadFromJsonAsync<JsonObject>();
        var (otherStatus, _) = await otherClient.PostAsync(path, new { });

        Assert.NotEqual(HttpStatusCode.TooManyRequests, first);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, second);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.True(third.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After");
        Assert.Equal("Too many requests.", problem!["title"]!.GetValue<string>());
        Assert.NotEqual(HttpStatusCode.TooManyRequests, otherStatus);
    }

    [Fact]
    public async Task Login_UnknownName_TakesAboutAsLongAsAWrongPasswordForAKnownOne()
    {
        var known = new List<TestUser>();
        for (var i = 0; i < 5; i++)
            known.Add(await TestUsers.CreateAsync(fixture.Web, "operator"));
        using var client = fixture.Web.Anonymous();

        var knownTimes = new List<double>();
        var unknownTimes = new List<double>();
        foreach (var user in known)
        {
            knownTimes.Add(await TimeAsync(() => client.PostAsync("/api/auth/login", new LoginRequest(user.Login, "not-the-password"))));
            unknownTimes.Add(await TimeAsync(() => client.PostAsync("/api/auth/login", new LoginRequest("ghost-" + Guid.NewGuid().ToString("N")[..8], "not-the-password"))));
            user.Dispose();
        }

        // The hash dominates: without the dummy hash an unknown name answers in a small fraction of the time.
        var (knownMedian, unknownMedian) = (Median(knownTimes), Median(unknownTimes));
        Assert.True(unknownMedian > knownMedian * 0.5, $"unknown {unknownMedian:F1} ms, known {knownMedian:F1} ms");
    }

    private static string NewAddress() => $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";

    private static Task<HttpResponseMessage> LoginAsync(ApiClient client, string address, string login, string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new LoginRequest(login, password)) };
        request.Headers.Add("X-Forwarded-For", address);
        return client.Http.SendAsync(request);
    }

    private static async Task<double> TimeAsync(Func<Task> call)
    {
        var watch = Stopwatch.StartNew();
        await call();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
