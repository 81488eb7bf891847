using System.Diagnostics;
using System.Runtime.InteropServices;
using Outreach.Bench;
using Outreach.Model;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

// Every scenario first prints what this machine charges for a system call and a wake-up (MachineYardstick).
var (syscallNs, wakeUs) = MachineYardstick.Measure();
Console.WriteLine($"this machine: a system call {syscallNs:0} ns, a wake-up round trip between two threads {wakeUs:0.0} µs (docs/PERF.md, \"The machine's price of a wake-up\")");

if (options.Scenario == "search")
    return await Outreach.Bench.Search.SearchScenario.RunAsync(options);
if (options.Scenario == "city")
    return await Outreach.Bench.CityDay.CityDayScenario.RunAsync(options);

Console.WriteLine($"Outreach bench: volunteers {string.Join(" → ", options.Volunteers.Select(v => v.ToString("N0", null)))}, " +
    $"{options.Connections} connections (+{options.Claimers} racers), {options.Rate} requests/s for {options.Duration} s " +
    $"(after {options.Warmup} s warm-up), {options.Races} races of {options.Claimers} claimers; web {options.WebUrl}");

// Ctrl-C or SIGTERM ends the bench at once (the Orleans client's host would otherwise swallow the signal).
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => Environment.Exit(130));
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => Environment.Exit(143));

var city = new City(options.Seed);
var offers = new OfferLog();
var total = Stopwatch.StartNew();

Console.WriteLine("set-up: connecting an Orleans client");
await using var cluster = await ClusterConnection.ConnectAsync(options);
var population = new Population(cluster.Grains, options.Parallelism);
await population.CreateStationsAsync();
await population.CreateAccountAsync("bench-operator", Roles.Operator, null);

// Step 1: the connected volunteers, the racers and the rest of the first population.
var watch = Stopwatch.StartNew();
var first = options.Volunteers[0];
var general = await population.RegisterAsync(first - options.Claimers,
    _ => (city.AnyPlace(), city.SomeSkills(), city.AnyTravelMode(), city.Next(1, 4)), "volunteers");
var racerVolunteers = await population.RegisterAsync(options.Claimers,
    _ => (city.Near(City.RaceSpot, 40), [HelpCategory.Other], TravelMode.Car, 1000), "racers");
var registerSeconds = watch.Elapsed.TotalSeconds;
Console.WriteLine($"set-up: {first:N0} volunteers registered in {registerSeconds:0.0} s ({first / registerSeconds:0}/s)");

watch.Restart();
var connected = general.Take(options.Connections).ToList();
var logins = connected.Select((v, i) => ($"bench-v{i}", v)).Concat(racerVolunteers.Select((v, i) => ($"bench-r{i}", v))).ToList();
await Parallel.ForEachAsync(logins, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism },
    async (login, _) => await population.CreateAccountAsync(login.Item1, Roles.Volunteer, login.v.Id));
var accountSeconds = watch.Elapsed.TotalSeconds;
watch.Restart();
var live = new LiveVolunteer[logins.Count];
await Parallel.ForEachAsync(Enumerable.Range(0, logins.Count), new ParallelOptions { MaxDegreeOfParallelism = 8 },
    async (i, _) => live[i] = await LiveVolunteer.ConnectAsync(i, logins[i].v, logins[i].Item1, options.WebUrl, offers));
var connectSeconds = watch.Elapsed.TotalSeconds;
Console.WriteLine($"set-up: {logins.Count} accounts created in {accountSeconds:0.0} s; logged in over HTTP and connected to /hubs/live in {connectSeconds:0.0} s");
using var hotline = await Hotline.LoginAsync(options.WebUrl, "bench-operator");
var load = new OfferLoad(hotline, offers, city);

var steps = new List<StepResult>();
var previous = first;
var setupSeconds = registerSeconds;
try
{
    foreach (var size in options.Volunteers)
    {
        if (size > previous)
        {
            watch.Restart();
            await population.RegisterAsync(size - previous, _ => (city.AnyPlace(), city.SomeSkills(), city.AnyTravelMode(), city.Next(1, 4)), "volunteers");
            setupSeconds = watch.Elapsed.TotalSeconds;
            Console.WriteLine($"set-up: {size - previous:N0} more volunteers registered in {setupSeconds:0.0} s ({(size - previous) / setupSeconds:0}/s)");
            previous = size;
        }
        Console.WriteLine($"N={size:N0}: silo RSS after set-up {Report.Memory(ProcessProbe.Memory(options.SiloPid))}, web {Report.Memory(ProcessProbe.Memory(options.WebPid))}");
        if (options.Warmup > 0)
        {
            Console.WriteLine($"N={size:N0}: warm-up, {options.Rate}/s for {options.Warmup} s");
            await load.RunAsync($"warmup-{size}", options.Rate, options.Warmup);
        }
        Console.WriteLine($"N={size:N0}: measuring, {options.Rate}/s for {options.Duration} s");
        var before = await ResourceSnapshot.TakeAsync(options);
        var measuredFrom = Stopwatch.GetTimestamp();
        var result = await load.RunAsync($"load-{size}", options.Rate, options.Duration);
        var measured = new RaceWindow(measuredFrom, Stopwatch.GetTimestamp(), result.Offer.Max);
        var used = (await ResourceSnapshot.TakeAsync(options)).Minus(before);
        var step = new StepResult(size, setupSeconds, result, used, ProcessProbe.Memory(options.SiloPid), ProcessProbe.Memory(options.WebPid))
        {
            Measured = measured,
        };
        steps.Add(step);
        Report.Step(step);
    }

    RaceResult? races = null;
    if (options.Races > 0)
    {
        // Each claimer claims on its live connection, as the page does; a few races first, not counted, warm the path
        // (as the intake's warm-up does: the first claims of a fresh process run code not yet compiled).
        Console.WriteLine($"claim races: {options.Races} × {options.Claimers} claimers on their live connections, after {ClaimRace.WarmupRaces} not counted");
        var race = new ClaimRace(hotline, offers, live[connected.Count..], options);
        await race.RunAsync(ClaimRace.WarmupRaces);
        races = await race.RunAsync(options.Races);
    }

    PositionResult? positions = null;
    if (options.Positions > 0)
    {
        Console.WriteLine($"position reports: {options.Positions}/s from {connected.Count} volunteers for {options.Duration} s");
        positions = await new PositionLoad(live[..connected.Count], city, options).RunAsync(options.Positions, options.Duration);
        Report.Positions(positions);
    }

    if (population.Retries > 0)
        Console.WriteLine($"set-up: {population.Retries} grain call(s) failed and were retried");
    if (options.GcPauseDirectory is not null)
        await Task.Delay(ServerPauses.LogLag); // the last stops reach the nodes' logs a moment late
    Report.Final(options, steps, races, total.Elapsed);
    return races is null || races.ExactlyOneWinner == races.Races - races.NotPosted ? 0 : 1;
}
finally
{
    await Task.WhenAll(live.Where(l => l is not null).Select(l => l.DisposeAsync().AsTask()));
}
