using System.Net;
using System.Net.Http.Json;
using Outreach.Contracts;
using Outreach.Tests.Infrastructure;
using static Outreach.Tests.Api.FamilyFiles;

namespace Outreach.Tests.Api;

/// <summary>Lists that do not leak: pages, masked numbers, no addresses; searches that cannot walk the files.</summary>
[Collection(SystemCollection.Name)]
[Category(TestCategory.System)]
public sealed class FamilyFileListTests(SystemFixture fixture)
{
    [Fact]
    public async Task List_IsPaged_WithMaskedNumbers_AndNoAddress_TheWholeFileOnlyById()
    {
        using var op = await TestUsers.CreateAsync(fixture.Web, "operator");
        // The masked number shows the last four digits: the hidden four (asserted absent below) must differ from them.
        var phone = FreshMobile();
        while (phone[3..7] == phone[^4..])
            phone = FreshMobile();
        var name = "钱" + Guid.NewGuid().ToString("N")[..6];
        var id = (await CreateAsync(op.Client, phone, name))["id"]!.GetValue<Guid>();
        for (var i = 0; i < 3; i++)
            await CreateAsync(op.Client, FreshMobile());

        var (status, page) = await SearchAsync(op.Client, name);
        var (_, firstPage) = await op.Client.GetAsync("/api/workers?pageSize=2");
        var (_, secondPage) = await op.Client.GetAsync("/api/workers?pageSize=2&page=2");
        var (defaultStatus, defaults) = await op.Client.GetAsync("/api/workers");
        var (tooBig, problem) = await op.Client.GetAsync("/api/workers?pageSize=201");
        var (_, file) = await op.Client.GetAsync($"/api/workers/{id}");

        Assert.Equal(HttpStatusCode.OK, status);
        var item = Assert.Single(page!["items"]!.AsArray())!;
        Assert.Equal(id, item["id"]!.GetValue<Guid>());
        Assert.Equal($"{phone[..3]}****{phone[^4..]}", Assert.Single(item["phones"]!.AsArray())!.GetValue<string>());
        var text = page.ToJsonString();
        Assert.DoesNotContain(phone[3..7], text, StringComparison.Ordinal);
        Assert.DoesNotContain("中原路", text, StringComparison.Ordinal);
        Assert.DoesNotContain("address", text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, firstPage!["items"]!.AsArray().Count);
        Assert.Equal(2, secondPage!["items"]!.AsArray().Count);
        Assert.Empty(firstPage["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>())
            .Intersect(secondPage["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>())));
        Assert.True(firstPage["total"]!.GetValue<int>() >= 4);
        Assert.Equal(HttpStatusCode.OK, defaultStatus);
        Assert.Equal(50, defaults!["pageSize"]!.GetValue<int>());
        Assert.True(defaults["items"]!.AsArray().Count <= 50);
        Assert.Equal(HttpStatusCode.BadRequest, tooBig);
        Assert.Contains("pageSize", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("+86" + phone, file!["phones"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(Address, file["addresses"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Search_OfOneCharacter_Returns400NamingQ()
    {
        using var op = await TestUsers.CreateAsync(fixture.Web, "operator");

        var (status, problem) = await SearchAsync(op.Client, "李");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("q:", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APageFarPastTheEnd_IsEmpty_NotAnEarlierPageWrappedAround()
    {
        using var op = await TestUsers.CreateAsync(fixture.Web, "operator");
        var name = "翻" + Guid.NewGuid().ToString("N")[..6];
        await CreateAsync(op.Client, FreshMobile(), name);

        var (searched, page) = await SearchAsync(op.Client, name, page: int.MaxValue);
        var (listed, list) = await op.Client.GetAsync("/api/workers?page=42949674&pageSize=100");

        Assert.Equal(HttpStatusCode.OK, searched);
        Assert.Empty(page!["items"]!.AsArray());
        Assert.Equal(1, page["total"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, listed);
        Assert.Empty(list!["items"]!.AsArray());
    }

    [Fact]
    public async Task Search_OfMoreThan100Characters_Returns400NamingQ()
    {
        using var op = await TestUsers.CreateAsync(fixture.Web, "operator");

        var (status, problem) = await SearchAsync(op.Client, new string('李', 101));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(problem!["errors"]!["q"] ?? problem["errors"]!["Q"]);
    }

    [Fact]
    public async Task Search_ByPartOfANumber_FindsNothing_OnlyTheWholeNumberMatches()
    {
        using var op = await TestUsers.CreateAsync(fixture.Web, "operator");
        var phone = FreshMobile();
        var id = (await CreateAsync(op.Client, phone))["id"]!.GetValue<Guid>();

        var (_, partial) = await SearchAsync(op.Client, phone[..9]);
        var (_, whole) = await SearchAsync(op.Client, "+86 " + phone);

        Assert.DoesNotContain(partial!["items"]!.AsArray(), i => i!["id"]!.GetValue<Guid>() == id);
        Assert.Equal(id, Assert.Single(whole!["items"]!.AsArray())!["id"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task Searches_OverTheLimitPerUser_Return429_WhileOthersAndPlainPagesGoOn()
    {
        using var op = await TestUsers.CreateAsync(fixture.Web, "operator");
        using var other = await TestUsers.CreateAsync(fixture.Web, "operator");

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 31; i++)
            answers.Add((await SearchAsync(op.Client, "搜索" + i)).Status);
        using var limited = await op.Client.Http.PostAsJsonAsync("/api/workers/lookup", new PhoneLookupRequest(FreshMobile()));
        var (plain, _) = await op.Client.GetAsync("/api/workers");
        var (otherUser, _) = await SearchAsync(other.Client, "搜索");

        Assert.All(answers.Take(30), a => Assert.Equal(HttpStatusCode.OK, a));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[30]);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter is not null, "no Retry-After");
        Assert.Contains("Too many searches", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, plain);
        Assert.Equal(HttpStatusCode.OK, otherUser);
    }

    [Fact]
    public async Task OldSearchQuery_Returns410_SayingWhereSearchesWent_WithoutRepeatingTheText()
    {
        using var op = await TestUsers.CreateAsync(fixture.Web, "operator");
        var phone = FreshMobile();
        await CreateAsync(op.Client, phone);

        var (status, problem) = await op.Client.GetAsync("/api/workers?q=" + phone);

        Assert.Equal(HttpStatusCode.Gone, status);
        Assert.Contains("POST /api/workers/search", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(phone, problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OldPhoneQuery_Returns410_SayingWhereLookupsWent_WithoutRepeatingTheNumber()
    {
        using var op = await TestUsers.CreateAsync(fixture.Web, "operator");
        var phone = FreshMobile();

        var (status, problem) = await op.Client.GetAsync("/api/workers?phone=" + phone);

        Assert.Equal(HttpStatusCode.Gone, status);
        Assert.Contains("POST /api/workers/lookup", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(phone, problem.ToJsonString(), StringComparison.Ordinal);
    }
}
