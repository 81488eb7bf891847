using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace Outreach.ServiceDefaults;

/// <summary>
/// Writes each time the runtime stopped this process's threads to a file, one line each: the stop's start on the
/// monotonic clock every process on the machine shares (<see cref="Stopwatch.GetTimestamp"/>, in its ticks), its length
/// in ms, and the generation of the collection that started in it — or <c>-1</c> for a stop without one (the second
/// stop of a background collection, or the runtime's other stops, such as tiered compilation's). Off unless
/// <c>Outreach:Diagnostics:GcPauseLog</c> names a directory (the bench sets it, and lines a slow claim race up with the
/// stops that held it; docs/PERF.md). The runtime's events reach a listener a moment late, so each is placed by its
/// own time stamp, not by when it arrived.
/// </summary>
public sealed class GcPauseLog : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private static readonly TimeSpan ClockCheckEvery = TimeSpan.FromMinutes(1);

    private readonly StreamWriter? _out;
    private readonly object _gate = new();
    private long _suspendedAt;
    private int _generation = -1;
    private TimeSpan _monotonicMinusWall;
    private DateTime _clockCheckedAt;
    private bool _disposed;

    /// <summary>The setting naming the directory (each process writes <c>{name}-{pid}.gc</c> in it).</summary>
    public const string Setting = "Outreach:Diagnostics:GcPauseLog";

    private GcPauseLog(string path)
    {
        Path = path;
        _out = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
    }

    /// <summary>The file this log writes.</summary>
    public string Path { get; }

    /// <summary>The file a process named <paramref name="name"/> with id <paramref name="processId"/> writes in <paramref name="directory"/>.</summary>
    public static string FileOf(string directory, string name, int processId) => System.IO.Path.Combine(directory, $"{name}-{processId}.gc");

    /// <summary>Starts the log when <paramref name="directory"/> is set; null otherwise. Lives as long as the process.</summary>
    public static GcPauseLog? StartIn(string? directory, string name)
    {
        if (string.IsNullOrWhiteSpace(directory))
            return null;
        Directory.CreateDirectory(directory);
        return new GcPauseLog(FileOf(directory, name, Environment.ProcessId));
    }

    /// <summary>Parses a line this log wrote: the stop's start (monotonic ticks), its length and generation.</summary>
    public static (long StartTicks, double Ms, int Generation)? Parse(string line)
    {
        var parts = line.Split(' ');
        return parts.Length == 3
            && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var start)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)
            && int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var generation)
            ? (start, ms, generation) : null;
    }

    /// <summary>The lines of a log file, read while its process may still be writing it.</summary>
    public static IEnumerable<string> ReadLines(string path)
    {
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        while (reader.ReadLine() is { } line)
            yield return line;
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
            EnableEvents(eventSource, EventLevel.Informational, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (_out is null)
            return; // the base constructor enables sources before this one has its file
        lock (_gate)
        {
            if (_disposed)
                return;
            var at = MonotonicTicksOf(eventData.TimeStamp.ToUniversalTime());
            switch (eventData.EventName)
            {
                case "GCSuspendEEBegin_V1":
                    _suspendedAt = at;
                    _generation = -1;
                    break;
                case "GCStart_V2" when eventData.Payload is [_, var depth, ..]:
                    _generation = Convert.ToInt32(depth, CultureInfo.InvariantCulture);
                    break;
                case "GCRestartEEEnd_V1" when _suspendedAt != 0:
                    var ms = (at - _suspendedAt) * 1000.0 / Stopwatch.Frequency;
                    _out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{_suspendedAt} {ms:0.000} {_generation}"));
                    _suspendedAt = 0;
                    break;
            }
        }
    }

    /// <summary>
    /// A wall-clock instant on the monotonic clock. The two clocks' difference is measured once a minute, as the
    /// tightest of a few paired readings, so a reading interrupted between its two halves does not move an event.
    /// </summary>
    private long MonotonicTicksOf(DateTime utc)
    {
        if (utc - _clockCheckedAt > ClockCheckEvery || _clockCheckedAt == default)
        {
            var best = TimeSpan.MaxValue;
            for (var i = 0; i < 5; i++)
            {
                var before = Stopwatch.GetTimestamp();
                var wall = DateTime.UtcNow;
                var after = Stopwatch.GetTimestamp();
                if (Stopwatch.GetElapsedTime(before, after) >= best)
                    continue;
                best = Stopwatch.GetElapsedTime(before, after);
                _monotonicMinusWall = TimeSpan.FromSeconds((before + (after - before) / 2) / (double)Stopwatch.Frequency) - (wall - DateTime.UnixEpoch);
            }
            _clockCheckedAt = utc;
        }
        var monotonic = (utc - DateTime.UnixEpoch) + _monotonicMinusWall;
        return (long)(monotonic.TotalSeconds * Stopwatch.Frequency);
    }

    public override void Dispose()
    {
        base.Dispose();
        lock (_gate)
        {
            _disposed = true;
            _out?.Dispose();
        }
    }
}
