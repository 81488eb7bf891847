using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;
using Outreach.ServiceDefaults;

namespace Outreach.Web.Infrastructure;

/// <summary>
/// The last word on an exception an endpoint let through: a fault a retry can cure (see
/// <see cref="TransientFaults"/>) answers 503 with <c>Retry-After</c>; anything else is a bug, logged with its
/// trace id and answered 500. Neither answer carries the exception's text; both carry <c>traceId</c>.
/// </summary>
public sealed partial class FaultExceptionHandler(
    IProblemDetailsService problemDetails, NpgsqlDataSource dataSource, ILogger<FaultExceptionHandler> log) : IExceptionHandler
{
    /// <summary>How long a client should wait before trying again after a 503.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var traceId = Activity.Current?.Id ?? httpContext.TraceIdentifier;
        var request = httpContext.Request;
        ProblemDetailsContext answer;
        if (TransientFaults.Find(exception) is { } fault)
        {
            LogUnavailable(log, request.Method, request.Path, Chain(exception), FirstLine(fault.Message), traceId);
            // The web node's own queries (lists, figures, sign-in keys) may hold broken connections too.
            if (BrokenConnections.Seen(exception))
                BrokenConnections.ClearPools(dataSource);
            httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            httpContext.Response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            answer = Problem(httpContext, exception, StatusCodes.Status503ServiceUnavailable,
                "Temporarily unavailable.",
                "The service could not reach its storage or cluster; nothing may have been saved. Try again shortly.");
        }
        else
        {
            LogBug(log, exception, request.Method, request.Path, traceId);
            httpContext.Response.StatusCode = StatusCodes.Status500InternalServerError;
            answer = Problem(httpContext, exception, StatusCodes.Status500InternalServerError,
                "An unexpected error occurred.", $"Quote trace id {traceId} when reporting it.");
        }
        answer.ProblemDetails.Extensions["traceId"] = traceId;
        return await problemDetails.TryWriteAsync(answer);
    }

    private static ProblemDetailsContext Problem(HttpContext httpContext, Exception exception, int status, string title, string detail) =>
        new()
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        };

    /// <summary>The exception's type and the types it wraps, outermost first: <c>OrleansException → NpgsqlException → …</c>.</summary>
    private static string Chain(Exception exception)
    {
        var types = new List<string>();
        for (Exception? e = exception; e is not null && types.Count < 6; e = e.InnerException)
            types.Add(e.GetType().Name);
        return string.Join(" → ", types);
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Method} {Path} answered 503: {Fault} ({Reason}); trace {TraceId}")]
    private static partial void LogUnavailable(ILogger logger, string method, string path, string fault, string reason, string traceId);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed with an unexpected error; trace {TraceId}")]
    private static partial void LogBug(ILogger logger, Exception exception, string method, string path, string traceId);
}
