using System.Globalization;
using Outreach.ServiceDefaults;

namespace Outreach.Bench;

/// <summary>The command line: <c>--name value</c> pairs, each with a default.</summary>
public sealed class BenchOptions
{
    /// <summary>Registered volunteers; a comma list (10000,100000) grows the population step by step and measures at each.</summary>
    public int[] Volunteers { get; private set; } = [10_000];

    /// <summary>Volunteers with a login and a live SignalR connection (besides the claim racers).</summary>
    public int Connections { get; private set; } = 500;

    /// <summary>Requests per second of the offer-latency phase.</summary>
    public int Rate { get; private set; } = 100;

    /// <summary>Seconds of the measured offer-latency phase.</summary>
    public int Duration { get; private set; } = 30;

    /// <summary>Seconds of load before the measured phase (not counted).</summary>
    public int Warmup { get; private set; } = 5;

    /// <summary>Claim races.</summary>
    public int Races { get; private set; } = 20;

    /// <summary>Position reports per second the connected volunteers send after the races (0: none).</summary>
    public int Positions { get; private set; }

    /// <summary>Volunteers racing for each race's request.</summary>
    public int Claimers { get; private set; } = 50;

    /// <summary>Orleans calls in flight while registering volunteers.</summary>
    public int Parallelism { get; private set; } = 16;

    public Uri WebUrl { get; private set; } = new("http://127.0.0.1:5080");
    public string ConnectionString { get; private set; } = "";
    public string ClusterId { get; private set; } = "bench";
    public string ServiceId { get; private set; } = OutreachCluster.DefaultServiceId;
    public int? SiloPid { get; private set; }
    public int? WebPid { get; private set; }
    public int? PostgresPid { get; private set; }

    /// <summary>Where the silo and web nodes write their runtime's stops (<c>Outreach__Diagnostics__GcPauseLog</c>; bench.sh sets both).</summary>
    public string? GcPauseDirectory { get; private set; }
    public int Seed { get; private set; } = 4;

    /// <summary>City scenario: volunteers on duty, each reporting its position every <see cref="ReportEvery"/> seconds.</summary>
    public int OnDuty { get; private set; } = 20_000;

    /// <summary>City scenario: seconds between one on-duty volunteer's position reports.</summary>
    public int ReportEvery { get; private set; } = 20;

    /// <summary>City scenario: on-duty volunteers holding a SignalR connection (to the second web node, which is killed).</summary>
    public int Sockets { get; private set; } = 5_000;

    /// <summary>City scenario: coordinators with the map open.</summary>
    public int Coordinators { get; private set; } = 3;

    /// <summary>City scenario: the second web node (the volunteers' sockets and claims), killed mid-run.</summary>
    public Uri? Web2Url { get; private set; }

    public int? Web2Pid { get; private set; }

    /// <summary>City scenario: PBKDF2 iterations of the bench accounts' password (the web nodes are told the same, Development only).</summary>
    public int PasswordIterations { get; private set; } = 100_000;

    /// <summary>"offers" (intake → offer latency, claim races), "search" (the candidate search against PostgreSQL, PostGIS and Redis) or "city" (a day in a city, see docs/PERF.md).</summary>
    public string Scenario { get; private set; } = "offers";

    /// <summary>
    /// Search scenario: concurrent searches in flight (closed loop), per system. 16, so that every system is measured
    /// at its capacity: the SQL searches fill both cores from 8 on, the cells' (each ≈ 1 ms of waiting on the client's
    /// round trip) left the machine 12–16 % idle at 8 (docs/PERF.md, session 19).
    /// </summary>
    public int SearchWorkers { get; private set; } = 16;

    /// <summary>Search scenario: sample queries whose answers are compared across the systems.</summary>
    public int AgreementQueries { get; private set; } = 200;

    /// <summary>Search scenario: the throw-away redis-server (host:port).</summary>
    public string Redis { get; private set; } = "";

    /// <summary>Search scenario: the redis-server process, whose CPU is reported.</summary>
    public int? RedisPid { get; private set; }

    public const string Usage = $"""
        usage: Outreach.Bench --web URL --db CONNECTION_STRING [options]
          --volunteers N[,N...]  registered volunteers (default 10000); a list grows the population and measures at each
          --connections K        logged-in volunteers with a SignalR connection (default 500)
          --rate R               requests per second (default 100)
          --duration S           measured seconds (default 30)
          --warmup S             unmeasured seconds of load first (default 5)
          --races N              claim races (default 20)
          --claimers C           claimers per race (default 50)
          --positions R          then R position reports per second from the connected volunteers for --duration
                                 seconds (default 0: none): latency, CPU and statements per report
          --parallelism P        Orleans calls in flight during set-up (default 16)
          --cluster-id ID        Orleans ClusterId (default bench); --service-id ID (default {OutreachCluster.DefaultServiceId})
          --silo-pid P --web-pid P --postgres-pid P   processes whose memory and CPU are reported
          --gc-pauses DIR        where the silo and web nodes log their runtime's stops (bench.sh sets it): laid over the races
          --seed N               random seed (default 4)
          --scenario NAME        offers (default) or search: the candidate search in the dispatch cells, PostgreSQL,
                                 PostGIS and Redis side by side (needs --redis HOST:PORT; uses --volunteers, --duration,
                                 --warmup, --search-workers W (default 16), --agreement-queries Q (default 200);
                                 --redis-pid P for its CPU)
                                 or city: --volunteers registered (default 100000), --on-duty N (20000) each reporting
                                 its position every --report-every S (20) seconds, --sockets K (5000) of them connected
                                 to the second web node (--web2 URL --web2-pid P), which is killed half way through the
                                 measured --duration (default 60), --coordinators C (3) with the map open on the first,
                                 --rate R requests/s (100) whose offers the sockets claim, after --warmup (default 30)
                                 seconds of the same load; --password-iterations N
                                 (PBKDF2 of the bench accounts; the web nodes must be told the same)
        """;

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        bool volunteersGiven = false, durationGiven = false, warmupGiven = false;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
                throw new ArgumentException(Usage);
            if (i + 1 >= args.Length)
                throw new ArgumentException($"{name} needs a value\n{Usage}");
            var value = args[++i];
            switch (name)
            {
                case "--volunteers": o.Volunteers = [.. value.Split(',').Select(v => Positive(name, v))]; volunteersGiven = true; break;
                case "--on-duty": o.OnDuty = Positive(name, value); break;
                case "--report-every": o.ReportEvery = Positive(name, value); break;
                case "--sockets": o.Sockets = Positive(name, value); break;
                case "--coordinators": o.Coordinators = NonNegative(name, value); break;
                case "--web2": o.Web2Url = new Uri(value); break;
                case "--web2-pid": o.Web2Pid = Positive(name, value); break;
                case "--password-iterations": o.PasswordIterations = Positive(name, value); break;
                case "--connections": o.Connections = Positive(name, value); break;
                case "--rate": o.Rate = Positive(name, value); break;
                case "--duration": o.Duration = Positive(name, value); durationGiven = true; break;
                case "--warmup": o.Warmup = NonNegative(name, value); warmupGiven = true; break;
                case "--races": o.Races = NonNegative(name, value); break;
                case "--claimers": o.Claimers = Positive(name, value); break;
                case "--positions": o.Positions = NonNegative(name, value); break;
                case "--parallelism": o.Parallelism = Positive(name, value); break;
                case "--web": o.WebUrl = new Uri(value); break;
                case "--db": o.ConnectionString = value; break;
                case "--cluster-id": o.ClusterId = value; break;
                case "--service-id": o.ServiceId = value; break;
                case "--silo-pid": o.SiloPid = Positive(name, value); break;
                case "--web-pid": o.WebPid = Positive(name, value); break;
                case "--postgres-pid": o.PostgresPid = Positive(name, value); break;
                case "--seed": o.Seed = NonNegative(name, value); break;
                case "--scenario": o.Scenario = value is "offers" or "search" or "city" ? value : throw new ArgumentException("--scenario must be offers, search or city"); break;
                case "--search-workers": o.SearchWorkers = Positive(name, value); break;
                case "--agreement-queries": o.AgreementQueries = NonNegative(name, value); break;
                case "--redis": o.Redis = value; break;
                case "--redis-pid": o.RedisPid = Positive(name, value); break;
                case "--gc-pauses": o.GcPauseDirectory = value; break;
                default: throw new ArgumentException($"unknown option {name}\n{Usage}");
            }
        }
        if (o.Scenario == "city")
        {
            if (!volunteersGiven)
                o.Volunteers = [100_000];
            if (!durationGiven)
                o.Duration = 60;
            // More than one report cycle: the first 15–30 s after the set-up queue for seconds while the JIT compiles
            // the hot paths (28 % of web 1's CPU then), which a running city's nodes are long past (docs/PERF.md).
            if (!warmupGiven)
                o.Warmup = 30;
            if (o.Volunteers.Length != 1 || o.Volunteers[0] < o.OnDuty || o.OnDuty < o.Sockets)
                throw new ArgumentException("--scenario city: one --volunteers size, at least --on-duty, which is at least --sockets");
            if (o.Web2Url is null)
                throw new ArgumentException("--scenario city needs --web2 URL (the web node that is killed)");
        }
        if (o.ConnectionString.Length == 0)
            throw new ArgumentException($"--db is required\n{Usage}");
        if (o.Volunteers.Zip(o.Volunteers.Skip(1)).Any(p => p.Second <= p.First))
            throw new ArgumentException("--volunteers steps must increase");
        if (o.Scenario == "search" && o.Redis.Length == 0)
            throw new ArgumentException("--scenario search needs --redis HOST:PORT");
        if (o.Scenario == "offers" && o.Volunteers[0] < o.Connections)
            throw new ArgumentException("--volunteers must be at least --connections");
        return o;
    }

    private static int Positive(string name, string value) =>
        NonNegative(name, value) is > 0 and var n ? n : throw new ArgumentException($"{name} must be positive");

    private static int NonNegative(string name, string value) =>
        int.TryParse(value.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n
            : throw new ArgumentException($"{name} must be a whole number (is '{value}')");
}
