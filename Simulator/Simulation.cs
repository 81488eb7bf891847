using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Outreach.Contracts;
using Outreach.Model;

namespace Outreach.Simulator;

/// <summary>Sets up the simulated volunteers and the families, then runs the intake and every volunteer until stopped.</summary>
internal sealed class Simulation(SimulatorOptions options) : IDisposable
{
    private static readonly HelpCategory[] Categories = Enum.GetValues<HelpCategory>();
    private static readonly Urgency[] Urgencies = [Urgency.Routine, Urgency.Routine, Urgency.Routine, Urgency.Urgent, Urgency.Urgent, Urgency.Emergency];
    private static readonly string[] VolunteerRole = ["volunteer"];

    private readonly OutreachClient _admin = NewClient(options.WebUrl);
    private readonly List<SimulatedVolunteer> _volunteers = [];
    private readonly List<(Guid Id, Spot Home, string Phone, string Address)> _families = [];

    public async Task RunAsync(CancellationToken stop)
    {
        await LoginAdminAsync(stop);
        var stations = await StationsAsync(stop);
        await LoadFamiliesAsync(stations, stop);
        await SetUpVolunteersAsync(stations, stop);
        Log.Write(string.Create(CultureInfo.InvariantCulture,
            $"{_volunteers.Count} volunteers on duty, {_families.Count} families, {options.RequestsPerMinute} requests a minute"));
        await Task.WhenAll(_volunteers.Select(v => v.RunAsync(stop)).Append(IntakeAsync(stop)));
    }

    /// <summary>Takes every simulated volunteer off duty (on the way out).</summary>
    public async Task GoOffDutyAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await Task.WhenAll(_volunteers.Select(v => v.Api.PostAsync("/api/volunteers/me/duty", new DutyRequest(OnDuty: false), timeout.Token)));
            Log.Write("volunteers off duty; stopped");
        }
        catch (Exception error) when (error is HttpRequestException or OperationCanceledException)
        {
            Log.Write($"could not take the volunteers off duty: {error.Message}");
        }
    }

    private async Task LoginAdminAsync(CancellationToken stop)
    {
        // The web node may still be starting: try for a minute.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if ((await _admin.LoginAsync(options.AdminLogin, options.AdminPassword, stop)).Status == HttpStatusCode.OK)
                    return;
                throw new InvalidOperationException($"The administrator {options.AdminLogin} could not log in (wrong password?).");
            }
            catch (HttpRequestException) when (attempt < 30)
            {
                await Task.Delay(TimeSpan.FromSeconds(2), stop);
            }
        }
    }

    private async Task<Dictionary<Guid, Spot>> StationsAsync(CancellationToken stop)
    {
        var body = (await _admin.GetAsync("/api/stations", stop)).Json();
        return (body as JsonArray ?? []).OfType<JsonNode>().ToDictionary(
            s => s["id"]!.GetValue<Guid>(),
            s => new Spot(s["position"]!["lat"]!.GetValue<double>(), s["position"]!["lon"]!.GetValue<double>()));
    }

    private async Task LoadFamiliesAsync(Dictionary<Guid, Spot> stations, CancellationToken stop)
    {
        var list = (await _admin.GetAsync("/api/workers?pageSize=50", stop)).Json();
        foreach (var summary in (list?["items"] as JsonArray ?? []).OfType<JsonNode>().Take(50))
        {
            var file = (await _admin.GetAsync($"/api/workers/{summary["id"]!.GetValue<Guid>()}", stop)).Json();
            if (file?["addresses"] is JsonArray { Count: > 0 } addresses && addresses[0] is { } home)
            {
                var phone = file["phones"] is JsonArray { Count: > 0 } phones ? phones[0]!.GetValue<string>() : "13803930001";
                _families.Add((file["id"]!.GetValue<Guid>(),
                    new Spot(home["position"]!["lat"]!.GetValue<double>(), home["position"]!["lon"]!.GetValue<double>()),
                    phone, home["text"]!.GetValue<string>()));
            }
        }
        if (_families.Count == 0)
        {
            // No family files (no demo seed): requests come from around the stations.
            foreach (var spot in stations.Values)
                _families.Add((Guid.Empty, spot.Offset(Random.Shared.Next(-800, 800), Random.Shared.Next(-800, 800)), "13803930001", "模拟地址"));
        }
        if (_families.Count == 0)
            throw new InvalidOperationException("There are no families and no stations to simulate around; start with the demo seed.");
    }

    private async Task SetUpVolunteersAsync(Dictionary<Guid, Spot> stations, CancellationToken stop)
    {
        var list = (await _admin.GetAsync("/api/volunteers", stop)).Json();
        var chosen = (list as JsonArray ?? []).OfType<JsonNode>()
            .Where(v => v["active"]!.GetValue<bool>())
            .OrderBy(_ => Random.Shared.Next())
            .Take(options.Volunteers)
            .ToList();
        foreach (var summary in chosen)
        {
            var id = summary["id"]!.GetValue<Guid>();
            var name = summary["name"]!.GetValue<string>();
            var login = "sim-" + id.ToString("N")[..12];
            var status = (await _admin.PostAsync("/api/accounts",
                new CreateAccountRequest(login, options.VolunteerPassword, name, VolunteerRole, id), stop)).Status;
            // An account from an earlier run: this run's password (random outside Development).
            if (status == HttpStatusCode.Conflict)
                status = (await _admin.PostAsync($"/api/accounts/{login}/password", new SetPasswordRequest(options.VolunteerPassword), stop)).Status;
            if (status is not (HttpStatusCode.Created or HttpStatusCode.OK))
            {
                Log.Write($"could not make an account for {name}: {(int)status}");
                continue;
            }
            var api = NewClient(options.WebUrl);
            if ((await api.LoginAsync(login, options.VolunteerPassword, stop)).Status != HttpStatusCode.OK)
            {
                Log.Write($"could not log in as {login}");
                api.Dispose();
                continue;
            }
            var me = (await api.GetAsync("/api/volunteers/me", stop)).Json();
            var start = me?["lastPosition"]?["position"] is { } p
                ? new Spot(p["lat"]!.GetValue<double>(), p["lon"]!.GetValue<double>())
                : summary["homeStationId"]?.GetValue<Guid>() is { } station && stations.TryGetValue(station, out var spot)
                    ? spot.Offset(Random.Shared.Next(-600, 600), Random.Shared.Next(-600, 600))
                    : _families[Random.Shared.Next(_families.Count)].Home;
            _volunteers.Add(new SimulatedVolunteer(id, name, summary["travelMode"]!.GetValue<string>(), api, start));
        }
    }

    private async Task IntakeAsync(CancellationToken stop)
    {
        if (options.RequestsPerMinute <= 0)
            return;
        var due = 0.0;
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), stop);
            // Arrivals at random: on average the chosen rate.
            due += options.RequestsPerMinute / 60.0 * (0.5 + Random.Shared.NextDouble());
            for (; due >= 1; due--)
            {
                var family = _families[Random.Shared.Next(_families.Count)];
                var spot = family.Home.Offset(Random.Shared.Next(-30, 30), Random.Shared.Next(-30, 30));
                try
                {
                    var answer = await _admin.PostRequestAsync(new NewRequestBody(
                        CallerPhone: family.Phone,
                        Category: Categories[Random.Shared.Next(Categories.Length)],
                        Urgency: Urgencies[Random.Shared.Next(Urgencies.Length)],
                        Position: new PositionDto(spot.Lat, spot.Lon),
                        Address: family.Address,
                        Description: "（模拟）演示求助",
                        WorkerId: family.Id == Guid.Empty ? null : family.Id), cancellationToken: stop);
                    var body = answer.Json();
                    Log.Write(answer.Status == HttpStatusCode.Created
                        ? $"request {body?["id"]} offered to {body?["offeredCount"]}"
                        : $"posting a request: {(int)answer.Status} {body?["detail"]}");
                }
                catch (HttpRequestException error)
                {
                    Log.Write($"posting a request: {error.Message}");
                }
            }
        }
    }

    /// <summary>A client of the web node; it follows redirects, as the simulator's clients always have.</summary>
    private static OutreachClient NewClient(Uri web) => new(web, new OutreachClientOptions { AllowAutoRedirect = true });

    public void Dispose()
    {
        _admin.Dispose();
        foreach (var volunteer in _volunteers)
            volunteer.Api.Dispose();
    }
}
