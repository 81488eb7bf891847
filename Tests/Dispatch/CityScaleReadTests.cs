using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Outreach.Contracts;
using Outreach.Model;
using Outreach.Tests.Infrastructure;
using Outreach.Tests.Live;
using Outreach.Volunteers;

namespace Outreach.Tests.Dispatch;

/// <summary>
/// The reads a page repeats on every (re)connect cost what is on the screen or what the user has, not the city:
/// the coordinators' map by view (clusters from the dispatch cells' rows, markers from the cells in view; no
/// volunteer grain), every open request on some page of the snapshot, and a volunteer's offers and jobs from
/// indexes kept with the request's own commit. The web node's grain calls are counted on its <c>/metrics</c>
/// (<c>outreach_web_grain_calls_total</c>), behind a fence call that proves the count is current.
/// </summary>
[Category(TestCategory.System)]
public sealed class CityScaleReadTests(SystemFixture fixture) : IClassFixture<SystemFixture>, IDisposable
{
    private const int Population = 2_000;
    private const int OpenRequests = 600;
    private const string VolunteerGrain = "IVolunteerGrain";
    private const string RequestGrain = "IHelpRequestGrain";
    private const string CellGrain = "IDispatchCellGrain";

    private ApiClient? _admin;

    private WebNode Web => fixture.Web;

    public void Dispose() => _admin?.Dispose();

    [Fact]
    public async Task MapView_WithThousandsOnDuty_CallsNoVolunteerGrain_ClustersZoomedOut_MarkersZoomedIn_UnderAMegabyte()
    {
        var scene = new Scene(Web);
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        var (fence, seeded) = await SeedOnDutyAsync(scene, Population);

        // Zoomed out over the whole place: counts per square, every volunteer counted, no grain called at all.
        var wide = Box(scene.Family, 0.3);
        var (zoomedOut, outBytes, outCalls) = await ViewAsync(coordinator, fence, wide, zoom: 10);
        Assert.Equal("clusters", zoomedOut["mode"]!.GetValue<string>());
        Assert.Empty(zoomedOut["volunteers"]!.AsArray());
        var clustered = zoomedOut["clusters"]!.AsArray().Sum(c => c!["count"]!.GetValue<int>());
        Assert.Equal(zoomedOut["total"]!.GetValue<int>(), clustered);
        Assert.True(clustered >= Population, $"clusters count {clustered}, expected at least the {Population} seeded");
        Assert.Equal(0, outCalls[VolunteerGrain]);
        Assert.Equal(0, outCalls[CellGrain]);
        Assert.True(outBytes < 1_000_000, $"zoomed-out view: {outBytes} bytes");

        // A city-district view at a marker zoom that holds more than a view may draw: clusters again, none cut.
        var district = Box(scene.Family, 0.02);
        var expectedInDistrict = seeded.Count(p => Inside(district, p));
        var (crowded, _, _) = await ViewAsync(coordinator, fence, district, zoom: 14);
        Assert.True(expectedInDistrict > 1_000, $"the district holds {expectedInDistrict}");
        Assert.Equal("clusters", crowded["mode"]!.GetValue<string>());
        Assert.Equal(expectedInDistrict, crowded["clusters"]!.AsArray().Sum(c => c!["count"]!.GetValue<int>()));

        // Zoomed in on a street: each volunteer in view from the cells in view, still no volunteer grain.
        var street = Box(scene.Family, 0.004);
        var expectedOnStreet = seeded.Count(p => Inside(street, p));
        var (zoomedIn, inBytes, inCalls) = await ViewAsync(coordinator, fence, street, zoom: 17);
        Assert.Equal("markers", zoomedIn["mode"]!.GetValue<string>());
        var markers = zoomedIn["volunteers"]!.AsArray();
        Assert.Equal(expectedOnStreet, markers.Count);
        Assert.All(markers, m => Assert.True(Inside(street, (m!["position"]!["lat"]!.GetValue<double>(), m["position"]!["lon"]!.GetValue<double>()))));
        Assert.Equal(0, inCalls[VolunteerGrain]);
        Assert.InRange(inCalls[CellGrain], 1, 4); // the street spans at most 2 × 2 dispatch cells
        Assert.True(inBytes < 1_000_000, $"zoomed-in view: {inBytes} bytes");
    }

    [Fact]
    public async Task MapView_WithABadBox_Is400NamingTheField()
    {
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        foreach (var (query, field) in new[]
        {
            ("south=36&west=114&north=35&east=115&zoom=10", "north"),
            ("south=36&west=115&north=37&east=114&zoom=10", "east"),
            ("south=-91&west=114&north=37&east=115&zoom=10", "south"),
            ("south=36&west=114&north=37&east=115&zoom=23", "zoom"),
            ("south=36&west=114&north=37&zoom=10", "east"),
        })
        {
            var (status, body) = await coordinator.Client.GetAsync("/api/map/view?" + query);
            Assert.True(status == HttpStatusCode.BadRequest, $"{query}: {(int)status} {body}");
            Assert.NotNull(body!["errors"]![field]);
        }
    }

    [Fact]
    public async Task SixHundredOpenRequests_AllOnTheSnapshotPages_AllInMeOffers_WithoutAskingTheRequests()
    {
        var scene = new Scene(Web);
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        using var hotline = await TestUsers.CreateAsync(Web, "operator");
        using var volunteer = await scene.VolunteerAsync(scene.Offset(200, 0), capacity: 1);
        var posted = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        await Parallel.ForEachAsync(Enumerable.Range(0, OpenRequests), new ParallelOptions { MaxDegreeOfParallelism = 6 },
            async (_, _) => posted.Add(await scene.RequestAsync(hotline.Client)));

        // The map and the queue: every open request on some page, each once, no page over 500 or a megabyte.
        var listed = new List<Guid>();
        string? after = null;
        var pages = 0;
        do
        {
            using var response = await coordinator.Client.Http.GetAsync("/api/map/snapshot" + (after is null ? "" : "?after=" + after));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"snapshot page {pages}: {(int)response.StatusCode} {text}");
            Assert.True(text.Length < 1_000_000, $"snapshot page {pages}: {text.Length} bytes");
            var page = JsonNode.Parse(text)!;
            var requests = page["requests"]!.AsArray();
            Assert.True(requests.Count <= 500, $"page {pages} has {requests.Count}");
            listed.AddRange(requests.Select(r => r!["id"]!.GetValue<Guid>()));
            after = page["next"]?.GetValue<Guid>().ToString();
            pages++;
        }
        while (after is not null && pages < 100);
        Assert.True(pages >= 2, $"{OpenRequests} open requests came in {pages} page(s)");
        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.Empty(posted.Except(listed));

        // The volunteer holds an offer of each: all of them, from the offers index, without asking one request.
        var before = await GrainCallsAsync();
        var (status, offers) = await volunteer.Client.GetAsync("/api/volunteers/me/offers");
        Assert.True(status == HttpStatusCode.OK, $"me/offers: {(int)status} {offers}");
        var calls = await FencedDeltaAsync(coordinator, volunteer.VolunteerId!.Value, before);
        Assert.Empty(posted.Except(offers!.AsArray().Select(o => o!["requestId"]!.GetValue<Guid>())));
        Assert.Equal(0, calls[RequestGrain]);

        // Their one job, among 600 open requests: only that request is asked.
        var claimed = posted.First();
        var (claim, claimBody) = await volunteer.Client.PostAsync($"/api/requests/{claimed}/claim", null);
        Assert.True(claim == HttpStatusCode.OK, $"claim: {(int)claim} {claimBody}");
        before = await GrainCallsAsync();
        var (jobsStatus, jobs) = await volunteer.Client.GetAsync("/api/volunteers/me/assignments");
        Assert.True(jobsStatus == HttpStatusCode.OK, $"me/assignments: {(int)jobsStatus} {jobs}");
        calls = await FencedDeltaAsync(coordinator, volunteer.VolunteerId!.Value, before);
        Assert.Equal([claimed], jobs!.AsArray().Select(j => j!["id"]!.GetValue<Guid>()));
        Assert.Equal(1, calls[RequestGrain]);
        Assert.Equal(0, calls[VolunteerGrain]);

        // The page's reconnect asks for the same on its connection, in one answer (the hub's Resync): the offers, the
        // job (audited) and their record — still only what is theirs.
        await using var live = await LiveListener.ConnectAsync("volunteer", Web, volunteer.Client.Cookies);
        var (_, offersNow) = await volunteer.Client.GetAsync("/api/volunteers/me/offers");
        before = await GrainCallsAsync();
        var work = await live.InvokeAsync<JsonElement>("Resync");
        calls = await FencedDeltaAsync(coordinator, volunteer.VolunteerId!.Value, before);
        Assert.Equal(volunteer.VolunteerId, work.GetProperty("volunteer").GetProperty("id").GetGuid());
        Assert.Equal(offersNow!.AsArray().Select(o => o!["requestId"]!.GetValue<Guid>()),
            work.GetProperty("offers").EnumerateArray().Select(o => o.GetProperty("requestId").GetGuid()));
        Assert.Equal(OpenRequests - 1, work.GetProperty("offers").GetArrayLength());
        var job = Assert.Single(work.GetProperty("assignments").EnumerateArray());
        Assert.Equal(claimed, job.GetProperty("id").GetGuid());
        Assert.False(string.IsNullOrEmpty(job.GetProperty("address").GetString()), "the job is whole: it carries the address");
        Assert.Equal(1, calls[RequestGrain]);
        Assert.Equal(1, calls[VolunteerGrain]);
        _admin ??= await Web.AdminAsync();
        var (_, audit) = await _admin.GetAsync($"/api/audit?subject={claimed}&pageSize=50");
        Assert.Equal(2, audit!["items"]!.AsArray().Count(r => r!["action"]!.GetValue<string>() == "request.read"
            && r["detail"]?.GetValue<string>() == "assignment"));
    }

    [Fact]
    public async Task Resync_OnAStaffConnection_IsRefused()
    {
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        await using var live = await LiveListener.ConnectAsync("coordinator", Web, coordinator.Client.Cookies);

        var refused = await Assert.ThrowsAsync<HubException>(() => live.InvokeAsync<JsonElement>("Resync"));
        Assert.Contains("unauthorized", refused.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task MyAssignments_ListsAnAcknowledgedClaim_WhenTheVolunteerGrainCouldNotStoreIt()
    {
        var scene = new Scene(Web);
        using var hotline = await TestUsers.CreateAsync(Web, "operator");
        using var volunteer = await scene.VolunteerAsync(scene.Offset(100, 0), capacity: 2);
        var id = await scene.RequestAsync(hotline.Client);

        // The request's commit succeeds; the volunteer grain's own write of its load fails (as if its silo died then).
        await using (await FailVolunteerWritesAsync(volunteer.VolunteerId!.Value))
        {
            var (claim, body) = await volunteer.Client.PostAsync($"/api/requests/{id}/claim", null);
            Assert.True(claim == HttpStatusCode.OK, $"claim: {(int)claim} {body}");

            var (status, jobs) = await volunteer.Client.GetAsync("/api/volunteers/me/assignments");
            Assert.True(status == HttpStatusCode.OK, $"me/assignments: {(int)status} {jobs}");
            Assert.Equal([id], jobs!.AsArray().Select(j => j!["id"]!.GetValue<Guid>()));
        }
    }

    /// <summary>Puts <paramref name="count"/> volunteers on duty within about 2 km of the family, straight through the grains.</summary>
    /// <returns>One of their ids (a fence for the call counts) and where each is.</returns>
    private async Task<(Guid Any, List<(double Lat, double Lon)> Spots)> SeedOnDutyAsync(Scene scene, int count)
    {
        using var host = await fixture.System.StartClientHostAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var random = new Random(count);
        var spots = Enumerable.Range(0, count)
            .Select(_ => scene.Offset(random.NextDouble() * 4_000 - 2_000, random.NextDouble() * 4_000 - 2_000)).ToList();
        // Denser near the family, so a street view holds several.
        for (var i = 0; i < count / 20; i++)
            spots[i] = scene.Offset(random.NextDouble() * 300 - 150, random.NextDouble() * 300 - 150);
        var ids = spots.Select(_ => Guid.NewGuid()).ToList();
        await Parallel.ForEachAsync(spots.Zip(ids), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (seed, _) =>
        {
            var (spot, id) = seed;
            var volunteer = grains.GetGrain<IVolunteerGrain>(id);
            var name = "志愿者" + random.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
            await volunteer.CreateAsync(new VolunteerProfile(name, "+86139" + random.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture),
                [HelpCategory.Groceries], TravelMode.Walk, null, 1));
            await volunteer.ReportPositionAsync(new GeoPoint(spot.Lat, spot.Lon), 10);
            await volunteer.SetDutyAsync(true);
        });
        await host.StopAsync();
        return (ids[0], spots);
    }

    private async Task<(JsonNode View, int Bytes, Dictionary<string, double> Calls)> ViewAsync(TestUser coordinator, Guid fence, MapBox box, int zoom)
    {
        var before = await GrainCallsAsync();
        var query = string.Create(CultureInfo.InvariantCulture,
            $"/api/map/view?south={box.South}&west={box.West}&north={box.North}&east={box.East}&zoom={zoom}");
        using var response = await coordinator.Client.Http.GetAsync(query);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {(int)response.StatusCode} {text}");
        var calls = await FencedDeltaAsync(coordinator, fence, before);
        return (JsonNode.Parse(text)!, text.Length, calls);
    }

    /// <summary>
    /// The grain calls made since <paramref name="before"/>, without the fence: one read of a volunteer (exactly one
    /// volunteer grain call), waited for on <c>/metrics</c>, so the count read is not an older scrape.
    /// </summary>
    private async Task<Dictionary<string, double>> FencedDeltaAsync(TestUser coordinator, Guid fenceId, Dictionary<string, double> before)
    {
        var (status, body) = await coordinator.Client.GetAsync($"/api/volunteers/{fenceId}");
        Assert.True(status == HttpStatusCode.OK, $"fence: {(int)status} {body}");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var now = await GrainCallsAsync();
            if (now[VolunteerGrain] >= before[VolunteerGrain] + 1)
                return now.ToDictionary(c => c.Key, c => c.Value - before[c.Key] - (c.Key == VolunteerGrain ? 1 : 0));
            Assert.True(DateTime.UtcNow < deadline, "the fence's grain call did not show on /metrics within 10 s");
            await Task.Delay(100);
        }
    }

    /// <summary>The web node's grain calls so far, by grain interface (the three this test watches).</summary>
    private async Task<Dictionary<string, double>> GrainCallsAsync()
    {
        _admin ??= await Web.AdminAsync();
        var exposition = await _admin.Http.GetStringAsync("/metrics");
        return new[] { VolunteerGrain, RequestGrain, CellGrain }.ToDictionary(g => g, g => exposition.Split('\n')
            .Where(l => l.StartsWith("outreach_web_grain_calls_total{", StringComparison.Ordinal) && l.Contains($"{g}\"", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)));
    }

    /// <summary>Makes every write of this volunteer grain's state fail as a lost connection would, until disposed.</summary>
    private Task<IAsyncDisposable> FailVolunteerWritesAsync(Guid volunteerId) =>
        StorageFaults.FailWritesAsync(fixture.System.ConnectionString, "orleansstorage",
            $"NEW.graintypestring = 'volunteer' AND convert_from(NEW.payloadbinary, 'UTF8') LIKE '%{volunteerId}%'");

    private static MapBox Box((double Lat, double Lon) center, double half) =>
        new(center.Lat - half, center.Lon - half, center.Lat + half, center.Lon + half);

    private static bool Inside(MapBox box, (double Lat, double Lon) p) =>
        p.Lat >= box.South && p.Lat <= box.North && p.Lon >= box.West && p.Lon <= box.East;
}
