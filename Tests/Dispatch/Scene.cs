using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Outreach.Contracts;
using Outreach.Model;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Dispatch;

/// <summary>
/// A place of its own for one test: a random spot far from every other test's, so tests sharing a system
/// never see each other's volunteers; plus helpers to put volunteers there and post requests.
/// </summary>
public sealed class Scene(WebNode web)
{
    private static readonly object Gate = new();
    private static readonly Random Random = new();
    private static readonly HashSet<(int, int)> Used = [];

    /// <summary>The centre of the scene: where the family is.</summary>
    public (double Lat, double Lon) Family { get; } = NextPlace();

    /// <summary>A point <paramref name="north"/> metres north and <paramref name="east"/> metres east of the family.</summary>
    public (double Lat, double Lon) Offset(double north, double east) =>
        (Family.Lat + north / 111_195.0, Family.Lon + east / (111_195.0 * Math.Cos(Family.Lat * Math.PI / 180)));

    /// <summary>A volunteer with an account, on duty at the given spot (unless told otherwise).</summary>
    public async Task<TestUser> VolunteerAsync(
        (double Lat, double Lon)? at, string[]? skills = null, string travelMode = "Walk", int capacity = 1, bool onDuty = true, string? name = null)
    {
        var user = await TestUsers.CreateAsync(web, "volunteer", new
        {
            name = name ?? "志愿者" + Guid.NewGuid().ToString("N")[..4],
            phone = "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture),
            skills = skills ?? ["Medicine"],
            travelMode,
            capacity,
        });
        if (at is { } spot)
            await Expect(user.Client.PostAsync("/api/volunteers/me/position", new PositionReport(spot.Lat, spot.Lon, 10)), "position");
        if (onDuty)
            await Expect(user.Client.PostAsync("/api/volunteers/me/duty", new DutyRequest(true)), "duty");
        return user;
    }

    /// <summary>Posts a request for the family through the API and returns its id.</summary>
    public async Task<Guid> RequestAsync(ApiClient hotline, string category = "Medicine", string urgency = "Urgent", string? key = null)
    {
        var (status, body) = await PostRequestAsync(hotline, category, urgency, key);
        Assert.True(status == HttpStatusCode.Created, $"posting a request: {(int)status} {body}");
        return body!["id"]!.GetValue<Guid>();
    }

    /// <summary>Posts a request and returns the raw answer.</summary>
    public Task<(HttpStatusCode Status, JsonNode? Body)> PostRequestAsync(ApiClient hotline, string category = "Medicine", string urgency = "Urgent", string? key = null) =>
        hotline.PostRequestAsync(new NewRequestBody(
            CallerPhone: "13803930001",
            Category: Enum.Parse<HelpCategory>(category),
            Urgency: Enum.Parse<Urgency>(urgency),
            Position: new PositionDto(Family.Lat, Family.Lon),
            Address: "华龙区 中原路 2号院 5号楼 301",
            Description: "老人血压高，需要买药并陪同"), key);

    private static async Task Expect(Task<(HttpStatusCode Status, JsonNode? Body)> call, string what)
    {
        var (status, body) = await call;
        Assert.True(status == HttpStatusCode.OK, $"{what}: {(int)status} {body}");
    }

    private static (double, double) NextPlace()
    {
        // Places on a coarse lattice over inland China, ≥ 50 km apart: no two scenes' circles overlap.
        lock (Gate)
        {
            while (true)
            {
                var (row, column) = (Random.Next(0, 40), Random.Next(0, 50));
                if (Used.Add((row, column)))
                    return (25 + row * 0.5, 95 + column * 0.6);
            }
        }
    }
}
