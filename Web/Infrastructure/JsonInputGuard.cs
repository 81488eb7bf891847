using System.Buffers;
using Microsoft.AspNetCore.Mvc;

namespace Outreach.Web.Infrastructure;

/// <summary>
/// Refuses input that could poison what stores it, before any endpoint reads it: a JSON body breaking
/// <see cref="JsonInputRules"/>, or a query-string or route value with a control character. The answer is the
/// same 400 as a body that cannot be read (<see cref="BadRequestExceptionHandler"/>): <c>detail</c> and <c>field</c>.
/// </summary>
public sealed class JsonInputGuard(RequestDelegate next, IProblemDetailsService problemDetails)
{
    /// <summary>The largest JSON body checked; a larger one is refused (413). No body of the API comes near it.</summary>
    public const int MaxJsonBytes = 1024 * 1024;

    public async Task InvokeAsync(HttpContext http)
    {
        if (CheckUrl(http) is { } urlProblem)
        {
            await WriteAsync(http, StatusCodes.Status400BadRequest, urlProblem);
            return;
        }
        if (HasJsonBody(http.Request))
        {
            http.Request.EnableBuffering();
            var (body, tooLarge) = await ReadAsync(http.Request, http.RequestAborted);
            if (tooLarge)
            {
                await WriteAsync(http, StatusCodes.Status413PayloadTooLarge, new InputProblem(null, $"The body is larger than {MaxJsonBytes} bytes."));
                return;
            }
            if (JsonInputRules.Check(body.WrittenSpan) is { } bodyProblem)
            {
                await WriteAsync(http, StatusCodes.Status400BadRequest, bodyProblem);
                return;
            }
            http.Request.Body.Position = 0;
        }
        await next(http);
    }

    private static InputProblem? CheckUrl(HttpContext http)
    {
        foreach (var (name, values) in http.Request.Query)
        {
            if (InputText.Problem(name) is { } badName)
                return new InputProblem(name, "Query parameter name: " + badName);
            foreach (var value in values)
            {
                if (value is not null && InputText.Problem(value) is { } badValue)
                    return new InputProblem(name, badValue);
            }
        }
        foreach (var (name, value) in http.Request.RouteValues)
        {
            if (value is string text && InputText.Problem(text) is { } badValue)
                return new InputProblem(name, badValue);
        }
        return null;
    }

    private static bool HasJsonBody(HttpRequest request) =>
        request.ContentLength is not 0 && request.HasJsonContentType()
        && (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method));

    private static async Task<(ArrayBufferWriter<byte> Body, bool TooLarge)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var read = await request.Body.ReadAsync(body.GetMemory(4096), cancellationToken);
            if (read == 0)
                return (body, false);
            body.Advance(read);
            if (body.WrittenCount > MaxJsonBytes)
                return (body, true);
        }
    }

    private Task WriteAsync(HttpContext http, int status, InputProblem problem)
    {
        http.Response.StatusCode = status;
        return problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = status,
                Title = "The request could not be read.",
                Detail = problem.Field is { } field ? $"Field '{field}': {problem.Reason}" : problem.Reason,
                Extensions = { ["field"] = problem.Field },
            },
        }).AsTask();
    }
}

/// <summary>Wiring of <see cref="JsonInputGuard"/>.</summary>
public static class JsonInputGuardExtensions
{
    /// <summary>After authentication and authorization, so a caller without the right gets 401/403 first.</summary>
    public static IApplicationBuilder UseJsonInputGuard(this IApplicationBuilder app) => app.UseMiddleware<JsonInputGuard>();
}
