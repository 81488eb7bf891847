using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Outreach.Tests.Infrastructure;

/// <summary>A silo or web host started as a real process; its output is kept for failure messages.</summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentDictionary<string, int> _watched = new(StringComparer.Ordinal);

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    /// <summary>The process id (a web node's live node id carries it).</summary>
    public int Id => _process.Id;

    /// <summary>
    /// Whether the process has ended. Its last lines may still be unread then: wait with <see cref="WaitForExitAsync"/>
    /// (which waits for the end of its output too) before asking what it printed.
    /// </summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>dotnet {dll} {args}</c> with the given environment.</summary>
    public static ChildProcess Start(string name, string dll, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        info.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        foreach (var (key, value) in environment)
            info.Environment[key] = value;

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process);
        process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The last lines the process printed.</summary>
    public string Tail(int lines = 40) => string.Join('\n', _output.TakeLast(lines));

    /// <summary>Whether the process printed a line containing <paramref name="text"/>.</summary>
    public bool Printed(string text) => _output.Any(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>From now on, counts every line that contains <paramref name="text"/> (however much is printed after).</summary>
    public void Watch(string text) => _watched.TryAdd(text, 0);

    /// <summary>How many lines printed since <see cref="Watch"/> contained <paramref name="text"/>.</summary>
    public int Seen(string text) => _watched.GetValueOrDefault(text);

    /// <summary>Asks the process to stop (SIGTERM, as a service manager or run.sh does) and returns its exit code.</summary>
    public async Task<int> StopAsync(TimeSpan patience)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(patience);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>Waits until the process exits by itself and returns its exit code; fails after <paramref name="patience"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not exit within {patience.TotalSeconds} s:\n{Tail()}");
        }
        return _process.ExitCode;
    }

    /// <summary>Kills the process at once, as a crash would.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
            return;
        _output.Enqueue(line);
        foreach (var text in _watched.Keys)
        {
            if (line.Contains(text, StringComparison.Ordinal))
                _watched.AddOrUpdate(text, 1, (_, n) => n + 1);
        }
        while (_output.Count > 2000)
            _output.TryDequeue(out _);
    }
}
