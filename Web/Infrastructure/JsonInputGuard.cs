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
            var body = await ReadAsync(http.Request, http.RequestAborted);
            // The body is read from here on: the endpoint reads the bytes checked, and they go back to the pool at the end.
            http.Response.RegisterForDispose(body);
            if (body.TooLarge)
            {
                await WriteAsync(http, StatusCodes.Status413PayloadTooLarge, new InputProblem(null, $"The body is larger than {MaxJsonBytes} bytes."));
                return;
            }
            if (JsonInputRules.Check(body.Span) is { } bodyProblem)
            {
                await WriteAsync(http, StatusCodes.Status400BadRequest, bodyProblem);
                return;
            }
            http.Request.Body = body.AsStream();
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
        && (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method)
            || HttpMethods.IsDelete(request.Method));

    /// <summary>
    /// Reads the whole body into a pooled buffer (sized by <c>Content-Length</c> when the client sent one), stopping past
    /// <see cref="MaxJsonBytes"/>.
    /// </summary>
    private static async Task<PooledBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = new PooledBody(request.ContentLength is { } length and <= MaxJsonBytes ? (int)length + 1 : 4096);
        while (true)
        {
            var read = await request.Body.ReadAsync(body.FreeSpace(), cancellationToken);
            if (read == 0)
                return body;
            body.Advance(read);
            if (body.Length > MaxJsonBytes)
            {
                body.TooLarge = true;
                return body;
            }
        }
    }

    /// <summary>A request body in a buffer rented from the shared pool, returned when the request is disposed of.</summary>
    private sealed class PooledBody(int capacity) : IDisposable
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(capacity);

        public int Length { get; private set; }

        public bool TooLarge { get; set; }

        public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

        /// <summary>Room for the next read: at least 4 KB, or what is left of a body whose length was announced.</summary>
        public Memory<byte> FreeSpace()
        {
            if (_buffer.Length - Length < 1)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, 4096));
                _buffer.AsSpan(0, Length).CopyTo(bigger);
                _buffer.AsSpan(0, Length).Clear();
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = bigger;
            }
            return _buffer.AsMemory(Length);
        }

        public void Advance(int count) => Length += count;

        public MemoryStream AsStream() => new MemoryStream(_buffer, 0, Length, writable: false);

        /// <summary>Back to the pool wiped: a body may carry a family's phone or address, and the next renter is anyone.</summary>
        public void Dispose()
        {
            var buffer = Interlocked.Exchange(ref _buffer, []);
            if (buffer.Length > 0)
            {
                buffer.AsSpan(0, Length).Clear();
                ArrayPool<byte>.Shared.Return(buffer);
            }
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
