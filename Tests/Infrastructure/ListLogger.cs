using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Outreach.Tests.Infrastructure;

/// <summary>A logger that keeps what it is given, so tests can read and wait for log lines.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<LogLine> _lines = new();
    private readonly TaskCompletionSource<LogLine> _firstWarning = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Every line logged so far, in order.</summary>
    public IReadOnlyList<LogLine> Lines => [.. _lines];

    /// <summary>Completes with the first line at warning level or above.</summary>
    public Task<LogLine> FirstWarning => _firstWarning.Task;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var line = new LogLine(logLevel, formatter(state, exception), exception);
        _lines.Enqueue(line);
        if (logLevel >= LogLevel.Warning)
            _firstWarning.TrySetResult(line);
    }
}
