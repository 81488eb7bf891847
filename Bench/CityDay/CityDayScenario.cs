using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Outreach.Contracts;
using Outreach.Model;

namespace Outreach.Bench.CityDay;

/// <summary>One claim a socket made on an offer it received: when, how long, the answer.</summary>
public readonly record struct ClaimCall(long At, double Ms, HttpStatusCode? Status);

/// <summary>
/// A day in a city (issue #15, item 6): the registered population, the on-duty part reporting positions every few
/// seconds over HTTP, thousands of phones on SignalR (on the second web node) claiming the offers they get, the hotline
/// posting requests, coordinators with the map open (snapshot, view, live events) — and, half way through, the phones'
/// web node killed: every phone reconnects to the other node and reads its offers and jobs again (the resync time).
/// </summary>
public static class CityDayScenario
{
    public static async Task<int> RunAsync(BenchOptions o)
    {
        var web1 = o.WebUrl;
        var web2 = o.Web2Url!;
        var registered = o.Volunteers[0];
        var reportRate = (double)o.OnDuty / o.ReportEvery;
        Console.WriteLine($"Outreach bench, city: {registered:N0} registered, {o.OnDuty:N0} on duty reporting every {o.ReportEvery} s " +
            $"({reportRate:N0}/s), {o.Sockets:N0} phones on SignalR at {web2} (killed after {o.Duration / 2} s), {o.Coordinators} coordinators " +
            $"and the hotline at {web1}, {o.Rate} requests/s for {o.Duration} s after {o.Warmup} s warm-up; {Environment.ProcessorCount} cores");
        using var onInterrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, _ => Environment.Exit(130));
        var total = Stopwatch.StartNew();
        var city = new City(o.Seed);
        var offers = new OfferLog();

        // --- Set-up (not measured) ---
        await using var cluster = await ClusterConnection.ConnectAsync(o);
        var population = new Population(cluster.Grains, Math.Max(o.Parallelism, 32), o.PasswordIterations);
        await population.CreateStationsAsync();
        await population.CreateAccountAsync("bench-operator", Roles.Operator, null);
        for (var c = 0; c < o.Coordinators; c++)
            await population.CreateAccountAsync($"bench-c{c}", Roles.Coordinator, null);
        var watch = Stopwatch.StartNew();
        var onDuty = await population.RegisterAsync(o.OnDuty,
            _ => (city.AnyPlace(), city.SomeSkills(), city.AnyTravelMode(), city.Next(1, 4)), "on duty");
        var dutySeconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        if (registered > o.OnDuty)
            await population.RegisterAsync(registered - o.OnDuty, _ => (city.AnyPlace(), city.SomeSkills(), city.AnyTravelMode(), city.Next(1, 4)), "off duty", onDuty: false);
        Console.WriteLine($"set-up: {o.OnDuty:N0} on duty in {dutySeconds:0} s, {registered - o.OnDuty:N0} off duty in {watch.Elapsed.TotalSeconds:0} s");

        watch.Restart();
        await Parallel.ForEachAsync(Enumerable.Range(0, onDuty.Count), new ParallelOptions { MaxDegreeOfParallelism = 32 },
            async (i, _) => await population.CreateAccountAsync($"bench-v{i}", Roles.Volunteer, onDuty[i].Id));
        Console.WriteLine($"set-up: {onDuty.Count:N0} volunteer accounts in {watch.Elapsed.TotalSeconds:0.0} s");

        using var pool = new SessionPool(256);
        watch.Restart();
        var cookies = new string[onDuty.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, onDuty.Count), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, _) => cookies[i] = await pool.LoginAsync(web1, $"bench-v{i}", Population.Password));
        Console.WriteLine($"set-up: {onDuty.Count:N0} logins in {watch.Elapsed.TotalSeconds:0.0} s ({onDuty.Count / watch.Elapsed.TotalSeconds:0}/s; PBKDF2 {o.PasswordIterations:N0} iterations)");

        // The phones: the first K on duty, each claiming what it is offered (the first two receivers of an offer race).
        var claims = new ConcurrentQueue<ClaimCall>();
        var claimers = new ConcurrentDictionary<Guid, int>();
        var claimTasks = new ConcurrentBag<Task>();
        void OnOffer(CitySocket socket, Guid requestId)
        {
            if (claimers.AddOrUpdate(requestId, 1, (_, n) => n + 1) <= 2)
                claimTasks.Add(ClaimAsync(socket, requestId));
        }
        async Task ClaimAsync(CitySocket socket, Guid requestId)
        {
            await Task.Yield();
            var at = Stopwatch.GetTimestamp();
            // As the page does: on the connection when it is up, else over the API.
            var answer = await socket.InvokeAsync("Claim", requestId)
                ?? await pool.SendAsync(HttpMethod.Post, socket.Node, $"/api/requests/{requestId}/claim", socket.Cookie);
            claims.Enqueue(new ClaimCall(at, Percentiles.Ms(at, Stopwatch.GetTimestamp()), answer.Status));
        }
        watch.Restart();
        var sockets = new CitySocket[o.Sockets];
        await Parallel.ForEachAsync(Enumerable.Range(0, o.Sockets), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            var socket = new CitySocket(i, onDuty[i], cookies[i], offers, OnOffer);
            await socket.ConnectAsync(web2);
            sockets[i] = socket;
        });
        Console.WriteLine($"set-up: {o.Sockets:N0} phones connected to {web2}hubs/live in {watch.Elapsed.TotalSeconds:0.0} s");
        foreach (var socket in sockets)
            socket.Prepare(web1);

        var screens = Screens();
        var coordinators = new List<CityCoordinator>();
        for (var c = 0; c < o.Coordinators; c++)
        {
            var coordinator = new CityCoordinator(await pool.LoginAsync(web1, $"bench-c{c}", Population.Password), pool, web1, screens[c % screens.Length]);
            await coordinator.ConnectAsync();
            coordinators.Add(coordinator);
        }
        using var hotline = await Hotline.LoginAsync(web1, "bench-operator");
        var load = new OfferLoad(hotline, offers, city);

        try
        {
            var openedAtStart = new List<DeskOpening>();
            foreach (var coordinator in coordinators)
                openedAtStart.Add(await coordinator.OpenAsync());

            if (o.Warmup > 0)
            {
                Console.WriteLine($"warm-up: {o.Rate} requests/s and {reportRate:N0} position reports/s for {o.Warmup} s");
                await Task.WhenAll(load.RunAsync("city-warmup", o.Rate, o.Warmup), ReportPositionsAsync(pool, web1, onDuty, cookies, sockets, city, reportRate, o.Warmup, 0),
                    PhonesVisitAsync(web1, onDuty, cookies, Math.Min(WarmupPhones, o.Sockets)));
            }

            // --- The measured run ---
            Console.WriteLine($"measuring: {o.Rate} requests/s and {reportRate:N0} position reports/s for {o.Duration} s; {web2} killed after {o.Duration / 2} s");
            var eventsBefore = coordinators.Select(c => c.Received).ToArray();
            var before = await ResourceSnapshot.TakeAsync(o);
            var web2Before = ProcessProbe.CpuSeconds(o.Web2Pid);
            var claimsFrom = Stopwatch.GetTimestamp();
            var start = Stopwatch.GetTimestamp();
            var wayBack = WayBackCpu.Start(o);
            var intake = load.RunAsync("city", o.Rate, o.Duration);
            var reports = ReportPositionsAsync(pool, web1, onDuty, cookies, sockets, city, reportRate, o.Duration, o.Warmup);
            await Task.Delay(TimeSpan.FromSeconds(o.Duration / 2.0));
            var lost = new ConcurrentBag<Task>();
            foreach (var socket in sockets)
                socket.Lost += s => lost.Add(Task.Run(() => s.ResyncAsync(web1)));
            var web2Cpu = ProcessProbe.CpuSeconds(o.Web2Pid) - web2Before;
            var killedAt = Stopwatch.GetTimestamp();
            if (o.Web2Pid is { } victim)
                Process.GetProcessById(victim).Kill();
            wayBack.Killed(sockets);
            Console.WriteLine($"  {web2} killed (SIGKILL) at {Percentiles.Ms(start, killedAt) / 1000:0.0} s");
            var intakeResult = await intake;
            var reportResult = await reports;
            var used = (await ResourceSnapshot.TakeAsync(o)).Minus(before);
            var measuredSeconds = Percentiles.Ms(start, Stopwatch.GetTimestamp()) / 1000;
            var eventsAfter = coordinators.Select(c => c.Received).ToArray();
            // Every phone must be back (or have given up) before the figures are read.
            var resyncWait = Stopwatch.StartNew();
            while (sockets.Any(s => s.Resynced is null) && resyncWait.Elapsed < TimeSpan.FromSeconds(60))
                await Task.Delay(100);
            await Task.WhenAll(lost);
            await Task.WhenAll(claimTasks);
            var back = sockets.Where(s => s.Resynced is { Ok: true }).Select(s => s.Resynced!.Value.At).ToArray();
            var wayBackCpu = back.Length > 0 ? await wayBack.PerPhoneAsync(back.Max(), back.Length) : null;

            var openedAtEnd = new List<DeskOpening>();
            foreach (var coordinator in coordinators)
                openedAtEnd.Add(await coordinator.OpenAsync());

            var result = new CityResult(o, reportRate, intakeResult, reportResult.All, reportResult.FirstHalf, used, web2Cpu, measuredSeconds,
                [.. claims.Where(c => c.At >= claimsFrom)], sockets.Select(s => s.Resynced).ToArray(), killedAt,
                openedAtStart, openedAtEnd,
                [.. coordinators.Select((c, i) => (c.Screen, Minus(eventsAfter[i], eventsBefore[i])))],
                ProcessProbe.Memory(o.SiloPid), ProcessProbe.Memory(o.WebPid), population.Retries, total.Elapsed, wayBackCpu);
            CityReport.Print(result);
            return result.Resyncs.All(r => r is { Ok: true }) ? 0 : 1;
        }
        finally
        {
            await Task.WhenAll(sockets.Where(s => s is not null).Select(s => s.DisposeAsync().AsTask()));
            await Task.WhenAll(coordinators.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    /// <summary>The coordinators' screens: the whole city zoomed out, a district, a few streets (the centre of the box).</summary>
    private static MapScreen[] Screens()
    {
        var (lat, lon) = ((City.South + City.North) / 2, (City.West + City.East) / 2);
        return
        [
            new MapScreen("city (zoom 11)", City.South, City.West, City.North, City.East, 11),
            new MapScreen("district (zoom 14)", lat - 0.025, lon - 0.035, lat + 0.025, lon + 0.035, 14),
            new MapScreen("streets (zoom 16)", lat - 0.006, lon - 0.009, lat + 0.006, lon + 0.009, 16),
        ];
    }

    private static Dictionary<string, (long Count, long Bytes)> Minus(IReadOnlyDictionary<string, (long Count, long Bytes)> after,
        IReadOnlyDictionary<string, (long Count, long Bytes)> before) =>
        after.ToDictionary(p => p.Key, p => before.TryGetValue(p.Key, out var b) ? (p.Value.Count - b.Count, p.Value.Bytes - b.Bytes) : p.Value, StringComparer.Ordinal);

    /// <summary>Phones that visit the survivor during the warm-up (<see cref="PhonesVisitAsync"/>).</summary>
    private const int WarmupPhones = 100;

    /// <summary>
    /// A few phones connect to <paramref name="node"/>, read their work as after a reconnection and leave: behind a load
    /// balancer every node has served phones before one of them dies, while here all the measured phones start on the
    /// node that is killed. Without it the survivor would compile its hub paths during the reconnections it is timed on.
    /// </summary>
    private static async Task PhonesVisitAsync(Uri node, List<BenchVolunteer> onDuty, string[] cookies, int count)
    {
        var unseen = new OfferLog();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            await using var visitor = new CitySocket(i, onDuty[i], cookies[i], unseen, (_, _) => { });
            await visitor.ConnectAsync(node);
            await visitor.ReadWorkAsync();
        });
    }

    /// <summary>
    /// The order in which the on-duty volunteers report within each cycle: a fixed shuffle, so the phones with a live
    /// page and those reporting over HTTP are mixed in time as in a street (each has its own phase). Taken in their list's
    /// order, the 5,000 phones reported in one block of 5 s and the 15,000 others in one of 15 s, and the first node
    /// took 1,000 HTTP reports a second for three quarters of each cycle and none in the last.
    /// </summary>
    private static int[] ReportOrder(int count)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(count).Shuffle(order);
        return order;
    }

    /// <summary>
    /// Open loop: report k at start + k/rate from on-duty volunteer <see cref="ReportOrder"/>[(offset + k) mod N], so each
    /// reports every N/rate seconds, a few metres from where it stands (mostly inside its dispatch cell, as in a street).
    /// A phone with the page's connection up reports on it (as the page does), the others — and a phone whose node just
    /// died — over HTTP to the first node.
    /// </summary>
    /// <returns>All the reports, and the latencies of those scheduled in the first half (before the kill).</returns>
    private static async Task<(PositionResult All, Percentiles FirstHalf)> ReportPositionsAsync(SessionPool pool, Uri node,
        List<BenchVolunteer> volunteers, string[] cookies, CitySocket[] sockets, City city, double rate, int seconds, int offset)
    {
        var order = ReportOrder(volunteers.Count);
        var run = await OpenLoop.RunAsync((int)(rate * seconds), rate, async k =>
        {
            var i = order[(int)((offset * rate + k) % volunteers.Count)];
            var at = city.Near(volunteers[i].Position, 30);
            var report = new PositionReport(at.Lat, at.Lon, 10);
            var start = Stopwatch.GetTimestamp();
            var answer = i < sockets.Length ? await sockets[i].InvokeAsync("ReportPosition", report) : null;
            answer ??= await pool.SendAsync(HttpMethod.Post, node, "/api/volunteers/me/position", cookies[i], report);
            return answer.Value with { Ms = Percentiles.Ms(start, Stopwatch.GetTimestamp()) };
        });
        var answers = run.Answers;
        var ok = answers.Where(a => a.Is(HttpStatusCode.OK)).ToArray();
        var all = new PositionResult(answers.Length, ok.Length,
            [.. answers.Where(a => !a.Is(HttpStatusCode.OK)).Select(a => a.Error ?? $"HTTP {(int)a.Status!.Value}")],
            Math.Max(seconds, run.Seconds), new Percentiles(ok.Select(a => a.Ms)), run.MaxSendLagMs, ResourceSnapshotNone);
        PrintSlowSeconds(answers, rate);
        // Answers are in the order they were scheduled (report k at k / rate): the first half came before the kill.
        return (all, new Percentiles(answers.Take(answers.Length / 2).Where(a => a.Is(HttpStatusCode.OK)).Select(a => a.Ms)));
    }

    /// <summary>
    /// When the slow position reports were sent: per second of the schedule, how many took longer than 100 ms (a
    /// pause somewhere shows as a few seconds with many; a queue as many seconds with some).
    /// </summary>
    private static void PrintSlowSeconds(CallResult[] answers, double rate)
    {
        var slow = answers.Select((a, k) => (Second: (int)(k / rate), a.Ms)).Where(a => a.Ms > OfferLoad.SlowMs)
            .GroupBy(a => a.Second).OrderBy(g => g.Key).Select(g => $"{g.Key}:{g.Count()}/{g.Max(a => a.Ms):0}").ToList();
        if (slow.Count > 0)
            Console.WriteLine($"    position reports slower than {OfferLoad.SlowMs:0} ms by second sent (second:count/slowest ms): {string.Join(' ', slow)}");
    }

    /// <summary>The position phase's own resource figures are not taken here (the whole run's are).</summary>
    private static readonly ResourceSnapshot ResourceSnapshotNone = new(0, 0, 0, 0, 0, 0,
        new DatabaseCounters(0, new Dictionary<string, long>(), new Dictionary<long, StatementCounters>()));
}
