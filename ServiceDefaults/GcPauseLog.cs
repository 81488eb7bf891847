using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace Outreach.ServiceDefaults;

/// <summary>
/// Writes each of this process's collector pauses to a file, one line each: the pause's start on the monotonic clock
/// every process on the machine shares (<see cref="Stopwatch.GetTimestamp"/>, in its ticks), its length in ms and the
/// collection's generation. Off unless <c>Outreach:Diagnostics:GcPauseLog</c> names a directory (the bench sets it, and
/// lines a slow claim race up with the pauses that stopped it; docs/PERF.md). The runtime's events reach a listener
/// a moment late, so each is placed by its own time stamp, not by when it arrived.
/// </summary>
public sealed class GcPauseLog : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private readonly string? _path;
    private readonly StreamWriter? _out;
    private readonly object _gate = new();
    private long _suspendedAt;
    private int _generation = -1;

    /// <summary>The setting naming the directory (each process writes <c>{name}-{pid}.gc</c> in it).</summary>
    public const string Setting = "Outreach:Diagnostics:GcPauseLog";

    private GcPauseLog(string path)
    {
        _path = path;
        _out = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
    }

    /// <summary>The file this log writes.</summary>
    public string Path => _path!;

    /// <summary>Starts the log when <paramref name="directory"/> is set; null otherwise. Lives as long as the process.</summary>
    public static GcPauseLog? StartIn(string? directory, string name)
    {
        if (string.IsNullOrWhiteSpace(directory))
            return null;
        Directory.CreateDirectory(directory);
        return new GcPauseLog(System.IO.Path.Combine(directory, $"{name}-{Environment.ProcessId}.gc"));
    }

    /// <summary>Parses a line this log wrote: the pause's start (monotonic ticks), its length and generation.</summary>
    public static (long StartTicks, double Ms, int Generation)? Parse(string line)
    {
        var parts = line.Split(' ');
        return parts.Length == 3
            && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var start)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)
            && int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var generation)
            ? (start, ms, generation) : null;
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
        // The event's own time, moved onto the monotonic clock: "now" on both clocks, less how long ago it happened.
        var ago = DateTime.UtcNow - eventData.TimeStamp.ToUniversalTime();
        var at = Stopwatch.GetTimestamp() - (long)(ago.TotalSeconds * Stopwatch.Frequency);
        lock (_gate)
        {
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

    public override void Dispose()
    {
        base.Dispose();
        lock (_gate)
            _out?.Dispose();
    }
}
