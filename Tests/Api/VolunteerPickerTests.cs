using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Api;

/// <summary>
/// <c>GET /api/volunteers/picker</c>: hotline staff find volunteers by name (active ones, at most 20, names starting with
/// the text first) and name the ones already chosen by id — and never see a phone.
/// </summary>
[Collection(SystemCollection.Name)]
[Category(TestCategory.System)]
public sealed class VolunteerPickerTests(SystemFixture fixture)
{
    private WebNode Web => fixture.Web;

    [Fact]
    public async Task Picker_FindsActiveVolunteersByName_StartingWithTheTextFirst_WithoutAPhone()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        using var op = await TestUsers.CreateAsync(Web, "operator");
        var inside = await CreateAsync(coordinator.Client, $"李{tag}");
        var starting = await CreateAsync(coordinator.Client, $"{tag}王");
        var stopped = await CreateAsync(coordinator.Client, $"{tag}停", active: false);
        await CreateAsync(coordinator.Client, "别人" + Guid.NewGuid().ToString("N")[..6]);

        var (status, found) = await op.Client.GetAsync($"/api/volunteers/picker?q={tag.ToUpperInvariant()}");

        Assert.Equal(HttpStatusCode.OK, status);
        var list = found!.AsArray();
        Assert.Equal([starting, inside], list.Select(v => v!["id"]!.GetValue<Guid>()));
        Assert.DoesNotContain(list, v => v!["id"]!.GetValue<Guid>() == stopped);
        var first = list[0]!.AsObject();
        Assert.Equal($"{tag}王", first["name"]!.GetValue<string>());
        Assert.Equal(["Escort", "Groceries"], first["skills"]!.AsArray().Select(s => s!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.False(first["onDuty"]!.GetValue<bool>());
        Assert.Equal(["id", "name", "skills", "stationId", "onDuty"], first.Select(p => p.Key));
        // None of the numbers: their last eight digits (a bare "139" can turn up inside an id by chance).
        Assert.All(Phones.Values, phone => Assert.DoesNotContain(phone[3..], found.ToJsonString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Picker_NamesChosenIds_EvenOfAStoppedVolunteer_AndListsAtMost20()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        var stopped = await CreateAsync(coordinator.Client, $"停{tag}", active: false);
        var active = await CreateAsync(coordinator.Client, $"在{tag}");
        for (var i = 0; i < 21; i++)
            await CreateAsync(coordinator.Client, $"多{tag}{i:00}");

        var (namedStatus, named) = await coordinator.Client.GetAsync($"/api/volunteers/picker?ids={stopped},{active},{Guid.NewGuid()}");
        var (_, many) = await coordinator.Client.GetAsync($"/api/volunteers/picker?q=多{tag}");

        Assert.Equal(HttpStatusCode.OK, namedStatus);
        // By name (停 sorts before 在); the unknown id is left out.
        Assert.Equal([(stopped, $"停{tag}"), (active, $"在{tag}")],
            named!.AsArray().Select(v => (v!["id"]!.GetValue<Guid>(), v["name"]!.GetValue<string>())));
        var names = many!.AsArray().Select(v => v!["name"]!.GetValue<string>()).ToArray();
        Assert.Equal(20, names.Length);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"多{tag}{i:00}"), names);
    }

    [Theory]
    [InlineData("", "q")]
    [InlineData("?q=%20%20", "q")]
    [InlineData("?ids=not-an-id", "ids")]
    [InlineData("?ids=,", "ids")]
    public async Task Picker_WithoutAName_OrWithBadIds_Is400NamingTheField(string query, string field)
    {
        using var op = await TestUsers.CreateAsync(Web, "operator");

        var (status, problem) = await op.Client.GetAsync("/api/volunteers/picker" + query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem!["errors"]?[field] is not null, problem.ToJsonString());
    }

    /// <summary>The phone each volunteer this test class created was given, by id.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, string> Phones = new();

    private static async Task<Guid> CreateAsync(ApiClient coordinator, string name, bool active = true)
    {
        var phone = "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);
        var (status, body) = await coordinator.PostAsync("/api/volunteers", new
        {
            name,
            phone,
            skills = new[] { "Groceries", "Escort" },
            travelMode = "Bike",
            active,
        });
        Assert.True(status == HttpStatusCode.Created, $"creating {name}: {(int)status} {body}");
        var id = body!["id"]!.GetValue<Guid>();
        Phones[id] = phone;
        return id;
    }
}
