using Microsoft.Extensions.Logging;

namespace Outreach.Tests.Infrastructure;

/// <summary>One line written to a <see cref="ListLogger{T}"/>.</summary>
public sealed record LogLine(LogLevel Level, string Message, Exception? Exception);
