using System.Diagnostics;
using System.Globalization;
using Outreach.ServiceDefaults;

namespace Outreach.Chaos;

/// <summary>One silo or web node: how to start it, and the process running now (if any).</summary>
public sealed class NodeProcess(string name, string dll, string workDir, IReadOnlyDictionary<string, string> environment, string logPath, Uri readyUrl) : IDisposable
{
    private Process? _process;
    private StreamWriter? _log;

    public string Name { get; } = name;

    /// <summary>The URL that answers 2xx once the process is ready (<c>/healthz</c> of a silo, <c>/readyz</c> of a web node).</summary>
    public Uri ReadyUrl { get; } = readyUrl;

    public int? Pid => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>Starts <c>dotnet DLL</c>, its output appended to the node's log, and records its pid in <paramref name="pidFile"/>.</summary>
    public void Start(string pidFile)
    {
        var start = new ProcessStartInfo("dotnet", dll)
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        _log?.Dispose();
        _log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var log = _log;
        _log.WriteLine($"==> chaos: starting {Name} at {DateTimeOffset.UtcNow:O}");
        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Name}");
        _process.OutputDataReceived += (_, e) => Write(log, e.Data);
        _process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        File.AppendAllText(pidFile, string.Create(CultureInfo.InvariantCulture, $"{_process.Id} {Name}\n"));
    }

    /// <summary><c>kill -9</c>: the process gets no chance to leave the cluster or flush anything.</summary>
    public async Task KillAsync()
    {
        if (_process is not { HasExited: false } process)
            return;
        _log?.WriteLine($"==> chaos: kill -9 {Name} (pid {process.Id}) at {DateTimeOffset.UtcNow:O}");
        process.Kill(entireProcessTree: false); // SIGKILL on Unix
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>Waits until <see cref="ReadyUrl"/> answers 2xx; false after <paramref name="timeout"/> or when the process exits.</summary>
    public async Task<bool> WaitReadyAsync(HttpClient http, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout && Pid is not null)
        {
            try
            {
                using var probe = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                using var response = await http.GetAsync(ReadyUrl, probe.Token);
                if (response.IsSuccessStatusCode)
                    return true;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            await Task.Delay(250);
        }
        return false;
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
            return;
        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // the node was restarted; its old output has nowhere to go
            }
        }
    }

    /// <summary>For Ctrl-C: kills at once, without waiting.</summary>
    public void KillNow()
    {
        if (_process is { HasExited: false } process)
            process.Kill(entireProcessTree: false);
    }

    public async ValueTask StopAsync()
    {
        await KillAsync();
        Dispose();
    }

    public void Dispose()
    {
        _log?.Dispose();
        _log = null;
        _process?.Dispose();
    }
}

/// <summary>The system under test: two silos and two web nodes on the chaos database.</summary>
public sealed class Fleet : IAsyncDisposable
{
    private readonly ChaosOptions _options;
    private readonly HttpClient _probe = new();

    public Fleet(ChaosOptions options)
    {
        _options = options;
        var common = new Dictionary<string, string>
        {
            ["ConnectionStrings__Outreach"] = options.ConnectionString,
            ["Orleans__ClusterId"] = options.ClusterId,
            ["Orleans__ServiceId"] = OutreachCluster.DefaultServiceId,
            // The chaos database is made anew on each run: a fresh secret for the phone index's keyed hash will do.
            ["Outreach__PhoneKey"] = "chaos-" + Guid.NewGuid().ToString("N"),
        };
        var deadline = Iso(ChaosOptions.ClaimDeadline);
        Silos = [.. options.Silos.Select((ports, i) => new NodeProcess($"silo-{i}", options.SiloDll, Path.GetDirectoryName(options.SiloDll)!,
            new Dictionary<string, string>(common)
            {
                ["Orleans__SiloPort"] = Iso(ports.Silo),
                ["Orleans__GatewayPort"] = Iso(ports.Gateway),
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Iso(ports.Http)}",
                // Short deadlines so escalation shows within a scenario; positions never go stale during a run.
                ["Dispatch__EmergencyClaimDeadline"] = deadline,
                ["Dispatch__UrgentClaimDeadline"] = deadline,
                ["Dispatch__RoutineClaimDeadline"] = deadline,
                ["Dispatch__PositionMaxAge"] = "12:00:00",
            },
            Path.Combine(options.LogDir, $"silo-{i}.log"), new Uri($"http://127.0.0.1:{Iso(ports.Http)}/healthz")))];
        Webs = [.. options.WebPorts.Select((port, i) => new NodeProcess($"web-{i}", options.WebDll, options.WebContentRoot,
            new Dictionary<string, string>(common)
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Iso(port)}",
                ["ASPNETCORE_CONTENTROOT"] = options.WebContentRoot,
                ["Outreach__Demo__Seed"] = "false",
                ["Outreach__BootstrapAdmin__Login"] = "admin",
                ["Outreach__BootstrapAdmin__Password"] = "outreach-admin",
                // Plain http on 127.0.0.1 (no __Host-/Secure cookie, no key certificate needed) and limits no load of
                // ours reaches: every crew member logs in from one address, the operator posts the whole intake.
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["DOTNET_ENVIRONMENT"] = "Development",
                ["Outreach__RateLimits__LoginPerAddress"] = "1000000",
                ["Outreach__RateLimits__Intake"] = "1000000",
                ["Outreach__RateLimits__Claim"] = "1000000",
                ["Outreach__RateLimits__Position"] = "1000000",
                ["Outreach__RateLimits__Notes"] = "1000000",
            },
            Path.Combine(options.LogDir, $"web-{i}.log"), new Uri($"http://127.0.0.1:{Iso(port)}/readyz")))];
        WebUrls = [.. options.WebPorts.Select(p => new Uri($"http://127.0.0.1:{Iso(p)}"))];
    }

    public IReadOnlyList<NodeProcess> Silos { get; }
    public IReadOnlyList<NodeProcess> Webs { get; }
    public IReadOnlyList<Uri> WebUrls { get; }

    /// <summary>The silo listening on silo port <paramref name="port"/>, if it is one of ours.</summary>
    public NodeProcess? SiloOnPort(int port) =>
        _options.Silos.FindIndex(s => s.Silo == port) is var i and >= 0 ? Silos[i] : null;

    public async Task StartAllAsync()
    {
        foreach (var silo in Silos)
            silo.Start(_options.PidFile);
        foreach (var silo in Silos)
            await RequireReadyAsync(silo);
        foreach (var web in Webs)
            web.Start(_options.PidFile);
        foreach (var web in Webs)
            await RequireReadyAsync(web);
    }

    /// <summary>Starts a node again after a kill and waits until it is ready; the seconds it took.</summary>
    public async Task<double> RestartAsync(NodeProcess node)
    {
        var watch = Stopwatch.StartNew();
        node.Start(_options.PidFile);
        await RequireReadyAsync(node);
        return watch.Elapsed.TotalSeconds;
    }

    private async Task RequireReadyAsync(NodeProcess node)
    {
        if (!await node.WaitReadyAsync(_probe, TimeSpan.FromSeconds(120)))
            throw new InvalidOperationException($"{node.Name} did not become ready at {node.ReadyUrl} within 120 s (log in {_options.LogDir})");
    }

    /// <summary>For Ctrl-C: every node killed at once.</summary>
    public void KillAllNow()
    {
        foreach (var node in Webs.Concat(Silos))
            node.KillNow();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Webs.Concat(Silos))
            await node.StopAsync();
        _probe.Dispose();
    }

    private static string Iso(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Iso(TimeSpan t) => t.ToString("c", CultureInfo.InvariantCulture);
}
