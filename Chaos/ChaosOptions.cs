using System.Globalization;

namespace Outreach.Chaos;

/// <summary>A silo's three ports.</summary>
public sealed record SiloPorts(int Silo, int Gateway, int Http);

/// <summary>The command line: <c>--name value</c> pairs, each with a default.</summary>
public sealed class ChaosOptions
{
    public static readonly string[] ScenarioNames = ["silo-kill", "web-kill", "db-outage", "hostile"];

    /// <summary>The scenarios to run, in order.</summary>
    public IReadOnlyList<string> Scenarios { get; private set; } = ScenarioNames;

    /// <summary>Seconds of steady load in each scenario (the fault happens inside it).</summary>
    public int Duration { get; private set; } = 60;

    /// <summary>Intake requests per second.</summary>
    public int Rate { get; private set; } = 10;

    public int Seed { get; private set; } = 7;

    /// <summary>Volunteers on duty with a live SignalR connection.</summary>
    public int Volunteers { get; private set; } = 30;

    /// <summary>Hostile inputs of the hostile scenario.</summary>
    public int HostileInputs { get; private set; } = 2000;

    public string ConnectionString { get; private set; } = "";
    public string ClusterId { get; private set; } = "chaos";
    public string SiloDll { get; private set; } = "";
    public string WebDll { get; private set; } = "";
    public string WebContentRoot { get; private set; } = "";
    public string LogDir { get; private set; } = "";
    public string PidFile { get; private set; } = "";

    /// <summary>The script that stops and starts the PostgreSQL cluster (<c>scripts/chaos-postgres.sh</c>).</summary>
    public string PostgresScript { get; private set; } = "";

    public List<SiloPorts> Silos { get; } = [];
    public List<int> WebPorts { get; } = [];

    /// <summary>The claim deadline the silos are started with (every urgency), and how late an escalation may come.</summary>
    public static readonly TimeSpan ClaimDeadline = TimeSpan.FromSeconds(20);

    /// <summary>An unclaimed request must show escalated by its claim deadline plus this.</summary>
    public static readonly TimeSpan EscalationGrace = TimeSpan.FromSeconds(45);

    public const string Usage = """
        usage: Outreach.Chaos --db CONNECTION_STRING --silo-dll DLL --web-dll DLL --web-root DIR --log-dir DIR --pid-file FILE
                              --postgres-script FILE --silo SILO,GATEWAY,HTTP --silo ... --web PORT --web PORT [options]
          --scenario NAME   run one scenario: silo-kill, web-kill, db-outage, hostile (default: all, in this order)
          --duration S      seconds of steady load per scenario (default 60)
          --rate R          intake requests per second (default 10)
          --seed N          random seed (default 7)
          --volunteers N    volunteers on duty with a SignalR connection (default 30)
          --hostile N       hostile inputs in the hostile scenario (default 2000)
          --cluster-id ID   Orleans ClusterId (default chaos)
        """;

    public static ChaosOptions Parse(string[] args)
    {
        var o = new ChaosOptions();
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
                case "--scenario":
                    o.Scenarios = ScenarioNames.Contains(value)
                        ? [value]
                        : throw new ArgumentException($"unknown scenario {value} (one of {string.Join(", ", ScenarioNames)})");
                    break;
                case "--duration": o.Duration = Positive(name, value); break;
                case "--rate": o.Rate = Positive(name, value); break;
                case "--seed": o.Seed = Positive(name, value); break;
                case "--volunteers": o.Volunteers = Positive(name, value); break;
                case "--hostile": o.HostileInputs = Positive(name, value); break;
                case "--db": o.ConnectionString = value; break;
                case "--cluster-id": o.ClusterId = value; break;
                case "--silo-dll": o.SiloDll = value; break;
                case "--web-dll": o.WebDll = value; break;
                case "--web-root": o.WebContentRoot = value; break;
                case "--log-dir": o.LogDir = value; break;
                case "--pid-file": o.PidFile = value; break;
                case "--postgres-script": o.PostgresScript = value; break;
                case "--silo":
                    var ports = value.Split(',').Select(p => Positive(name, p)).ToArray();
                    o.Silos.Add(ports.Length == 3 ? new SiloPorts(ports[0], ports[1], ports[2]) : throw new ArgumentException("--silo takes SILO,GATEWAY,HTTP"));
                    break;
                case "--web": o.WebPorts.Add(Positive(name, value)); break;
                default: throw new ArgumentException($"unknown option {name}\n{Usage}");
            }
        }
        string[] required = [o.ConnectionString, o.SiloDll, o.WebDll, o.WebContentRoot, o.LogDir, o.PidFile, o.PostgresScript];
        if (required.Any(r => r.Length == 0))
            throw new ArgumentException($"--db, --silo-dll, --web-dll, --web-root, --log-dir, --pid-file and --postgres-script are required\n{Usage}");
        if (o.Silos.Count != 2 || o.WebPorts.Count != 2)
            throw new ArgumentException("give exactly two --silo and two --web");
        return o;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} must be a positive whole number (is '{value}')");
}
