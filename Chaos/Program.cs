using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using Outreach.Bench;
using Outreach.Chaos;
using Outreach.Contracts;
using Outreach.Model;

ChaosOptions options;
try
{
    options = ChaosOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

Console.WriteLine($"Outreach chaos: scenarios {string.Join(", ", options.Scenarios)}; {options.Rate} requests/s for {options.Duration} s each; " +
    $"{options.Volunteers} volunteers; seed {options.Seed}; logs in {options.LogDir}");

await using var fleet = new Fleet(options);
// Ctrl-C or SIGTERM: the nodes go at once (chaos.sh's trap kills whatever is left in the pid file too).
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => { fleet.KillAllNow(); Environment.Exit(130); });
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => { fleet.KillAllNow(); Environment.Exit(143); });

var total = Stopwatch.StartNew();
Console.WriteLine("set-up: starting 2 silos and 2 web nodes");
await fleet.StartAllAsync();

await using var cluster = await ClusterConnection.ConnectAsync(BenchOptions.Parse(["--db", options.ConnectionString, "--cluster-id", options.ClusterId]));
var city = new City(options.Seed);
var population = new Population(cluster.Grains, parallelism: 4);
await population.CreateStationsAsync();
await population.CreateAccountAsync("chaos-operator", Roles.Operator, null);
await population.CreateAccountAsync("chaos-coordinator", Roles.Coordinator, null);
var hostileVolunteer = (await population.RegisterAsync(1, _ => (new GeoPoint(31.2, 121.5), [HelpCategory.Other], TravelMode.Walk, 1), "hostile volunteer"))[0];
await population.CreateAccountAsync("chaos-hostile", Roles.Volunteer, hostileVolunteer.Id);

var calls = new CallLog();
using var operatorApi = new Api(fleet.WebUrls, calls);
using var coordinatorApi = new Api(fleet.WebUrls, calls);
using var anonymousApi = new Api(fleet.WebUrls, calls);
using var hostileApi = new Api(fleet.WebUrls, calls);
await operatorApi.LoginAsync("chaos-operator", Population.Password);
await coordinatorApi.LoginAsync("chaos-coordinator", Population.Password);
await hostileApi.LoginAsync("chaos-hostile", Population.Password);
var (stationId, volunteerId, workerId) = await TargetsAsync(coordinatorApi, operatorApi);

Console.WriteLine($"set-up: registering {options.Volunteers} volunteers and connecting them to /hubs/live");
await using var crew = await Crew.StartAsync(population, city, options.Volunteers, fleet.WebUrls, calls, options.Seed);
var intake = new IntakeLoad(operatorApi, city);
var verifier = new Verifier(coordinatorApi, cluster.Grains, options.ConnectionString, crew);
var harness = new Harness(options, fleet, cluster.Grains, crew, calls,
    () => new Hostile(operatorApi, coordinatorApi, anonymousApi, hostileApi, stationId, volunteerId, workerId, options.Seed));
Console.WriteLine($"set-up done in {total.Elapsed.TotalSeconds:0} s");

var checks = new List<Check>();
foreach (var scenario in options.Scenarios)
{
    Console.WriteLine($"{scenario}: {options.Rate} requests/s for {options.Duration} s with the fault inside");
    var duration = TimeSpan.FromSeconds(options.Duration);
    var started = Stopwatch.StartNew();
    var load = intake.RunAsync(scenario, options.Rate, duration, CancellationToken.None);
    var fault = await Faults.RunAsync(scenario, harness, async share =>
    {
        var wait = duration * share - started.Elapsed;
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait);
    });
    await load;

    // Settle: no new claims, the ones under way finish, then unclaimed requests get the time to escalate.
    await crew.PauseAsync(TimeSpan.FromSeconds(20));
    await Task.Delay(TimeSpan.FromSeconds(10));
    var acked = intake.Acknowledged.Where(a => a.Scenario == scenario).ToList();
    await verifier.WaitForEscalationsDueAsync(acked, DateTimeOffset.UtcNow + ChaosOptions.ClaimDeadline + ChaosOptions.EscalationGrace + TimeSpan.FromSeconds(5));
    var f = await verifier.CheckAsync(acked, intake.GaveUp.Count, crew.Claims.StuckAdvances.Count);
    crew.Resume();

    List<Check> these =
    [
        new("acknowledged requests stored (grain and ledger)", f.MissingInGrain == 0 && f.MissingInLedger == 0),
        new("exactly one winner, the assignee", f.MultipleWinners == 0 && f.WinnerNotAssignee == 0),
        new("every offer delivered (socket or resync)", f.OffersMissed == 0 && f.OffersUnknown == 0),
        new("volunteer load equals requests carried", f.LoadWrong == 0 && f.LoadChecked == crew.Volunteers.Count),
        new("unclaimed requests escalated", f.Escalated == f.EscalationDue),
        .. fault.Checks,
    ];
    var failed = these.Where(c => !c.Passed).Select(c => c.Name).ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"RESULT {scenario}: {(failed.Count == 0 ? "PASS" : "FAIL")} | acked {f.Acked} (client gave up, whole run: {f.GaveUp}) | " +
        $"stored: not in grain {f.MissingInGrain}, no ledger row {f.MissingInLedger} (ledger behind the grain {f.LedgerBehind}) | " +
        $"claims: {f.Claimed} claimed, >1 winner {f.MultipleWinners}, winner≠assignee {f.WinnerNotAssignee} (assignee without a 200 {f.AssigneeWithoutWinner}; status reports failed after retries, whole run {f.StuckAdvances}) | " +
        $"offers: {f.OffersMade} made, socket {f.OffersBySocket}, resync only {f.OffersByResyncOnly}, offline-and-taken {f.OffersExcused}, MISSED {f.OffersMissed}, request state unreadable {f.OffersUnknown} | " +
        $"load: {f.LoadWrong}/{f.LoadChecked} volunteers wrong{(f.LoadExample.Length > 0 ? $" (e.g. {f.LoadExample})" : "")} | " +
        $"escalation: {f.Escalated}/{f.EscalationDue} due escalated | {fault.Figures}{(failed.Count == 0 ? "" : " | failed: " + string.Join("; ", failed))}"));
    checks.AddRange(these);
}

foreach (var (key, last) in intake.GaveUp.Take(5).ToList())
    Console.WriteLine($"    intake gave up on {key}: {last}");
foreach (var (request, step, answer) in crew.Claims.StuckAdvances.Take(5))
    Console.WriteLine($"    status {step} of {request} failed: {answer[..Math.Min(answer.Length, 200)]}");
var passed = checks.Count(c => c.Passed);
Console.WriteLine($"chaos took {total.Elapsed.TotalMinutes:0.0} min");
Console.WriteLine($"{passed} passed, {checks.Count - passed} failed");
return checks.Count == passed ? 0 : 1;

// A station, an inactive volunteer and a family file that the hostile updates aim at.
static async Task<(Guid Station, Guid Volunteer, Guid Worker)> TargetsAsync(Api coordinator, Api hotline)
{
    var station = await coordinator.PostJsonAsync("setup", 0, "/api/stations",
        new StationRequest("故障演练驿站", "华龙区 测试路 1号", new PositionDto(35.70, 115.00)));
    var volunteer = await coordinator.PostJsonAsync("setup", 0, "/api/volunteers",
        new VolunteerRequest("演练志愿者", "13912340000", [HelpCategory.Meals], TravelMode.Walk, Active: false));
    var worker = await hotline.PostJsonAsync("setup", 0, "/api/workers", new FamilyFileRequest("演练职工"));
    foreach (var answer in new[] { station, volunteer, worker })
    {
        if (!answer.Is(HttpStatusCode.Created))
            throw new InvalidOperationException($"set-up write failed: {answer.Status} {answer.Error ?? answer.Body}");
    }
    return (station.Json().GetProperty("id").GetGuid(), volunteer.Json().GetProperty("id").GetGuid(), worker.Json().GetProperty("id").GetGuid());
}
