using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Outreach.Web.Infrastructure;

/// <summary>
/// Turns a body that cannot be read (malformed JSON, an unknown enum word, a wrong type) into a 400
/// ProblemDetails that names the field and the reason, instead of an empty 400.
/// </summary>
public sealed partial class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
            return false;

        var json = FindJsonException(badRequest);
        var field = json?.Path is { Length: > 1 } path ? path.TrimStart('$', '.') : json is null ? ParameterIn(badRequest.Message) : null;
        var detail = json switch
        {
            null when field is not null => $"Field '{field}': {badRequest.Message}",
            null => badRequest.Message,
            _ when field is { Length: > 0 } => $"Field '{field}': {Reason(json)}",
            _ => $"The request body is not valid JSON: {Reason(json)}",
        };
        httpContext.Response.StatusCode = badRequest.StatusCode;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = badRequest.StatusCode,
                Title = "The request could not be read.",
                Detail = detail,
                Extensions = { ["field"] = field },
            },
        });
    }

    /// <summary>
    /// The parameter a binding failure names — <c>Failed to bind parameter "int? page" from "abc".</c>, <c>Required
    /// parameter "Guid id" was not provided from route.</c> — so a query or route value that cannot be read is a 400
    /// naming it, as a body field is.
    /// </summary>
    private static string? ParameterIn(string message) =>
        ParameterName().Match(message) is { Success: true } match ? match.Groups["name"].Value : null;

    [System.Text.RegularExpressions.GeneratedRegex("""parameter "(?:[^"]*\s)?(?<name>[A-Za-z_][A-Za-z0-9_]*)" """, System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex ParameterName();

    private static JsonException? FindJsonException(Exception exception)
    {
        for (var e = exception.InnerException; e is not null; e = e.InnerException)
        {
            if (e is JsonException json)
                return json;
        }
        return null;
    }

    /// <summary>The first sentence of the serializer's message, without the path and position it repeats.</summary>
    private static string Reason(JsonException json)
    {
        var message = json.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
