using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Outreach.Web.Security;

/// <summary>
/// Cross-site request refusal. A state-changing request (POST, PUT, PATCH, DELETE) and every request to the hub
/// (<c>/hubs/…</c>: negotiate, websocket, fallback transports) that names where it comes from — <c>Origin</c>, or
/// <c>Referer</c> when there is no <c>Origin</c> — must come from this site (the request's own scheme and host, or
/// one of <c>Outreach:Security:AllowedOrigins</c>), else 403. Requests that send neither (scripts, the bench, the
/// tests' HTTP clients) pass: browsers always send <c>Origin</c> on such requests, and the cookie is SameSite=Lax.
/// And <c>/api</c> bodies must be JSON (or what the endpoint declares, e.g. <c>text/csv</c> for the import), else 415,
/// so no HTML form or <c>text/plain</c> "simple request" reaches a handler.
/// </summary>
public static class RequestOrigin
{
    public static WebApplicationBuilder AddOutreachRequestOrigin(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RequestOriginOptions>().BindConfiguration(RequestOriginOptions.Section);
        return builder;
    }

    /// <summary>After routing, before authentication: a cross-site request is refused before it is even read.</summary>
    public static IApplicationBuilder UseOutreachRequestOrigin(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            var request = http.Request;
            if ((ChangesState(request) || request.Path.StartsWithSegments("/hubs")) && !IsSameSite(request, http.RequestServices))
            {
                await Refuse(http, StatusCodes.Status403Forbidden, "Cross-site request refused.",
                    "The request's Origin (or Referer) is not this site.");
                return;
            }
            await next(http);
        });

    /// <summary>
    /// Before authentication: <c>/api</c> bodies are JSON or what the endpoint declares. (Routing's own 415 endpoint for a
    /// body route has no <c>AllowAnonymous</c>, so after authorization an anonymous caller would get 401 instead.)
    /// </summary>
    public static IApplicationBuilder UseOutreachJsonBodies(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (ChangesState(http.Request) && http.Request.Path.StartsWithSegments("/api") && !HasAcceptedContentType(http))
            {
                await Refuse(http, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.",
                    $"Send the body as {string.Join(" or ", AcceptedTypes(http))}; JSON in UTF-8.");
                return;
            }
            await next(http);
        });

    private static bool ChangesState(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method)
        || HttpMethods.IsPatch(request.Method) || HttpMethods.IsDelete(request.Method);

    private static bool IsSameSite(HttpRequest request, IServiceProvider services)
    {
        string? claimed = request.Headers.Origin;
        if (string.IsNullOrEmpty(claimed))
        {
            string? referer = request.Headers.Referer;
            if (string.IsNullOrEmpty(referer))
                return true;
            if (!Uri.TryCreate(referer, UriKind.Absolute, out var refererUri))
                return false;
            claimed = refererUri.GetLeftPart(UriPartial.Authority);
        }
        if (!Uri.TryCreate(claimed, UriKind.Absolute, out var origin) || origin.AbsolutePath != "/" || claimed.EndsWith('/'))
            return false; // "null", garbage, or a path where only scheme://host[:port] belongs
        var own = $"{request.Scheme}://{request.Host}";
        if (SameOrigin(origin, own))
            return true;
        var allowed = services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<RequestOriginOptions>>().CurrentValue.AllowedOrigins;
        return allowed.Any(a => SameOrigin(origin, a));
    }

    private static bool SameOrigin(Uri origin, string other) =>
        Uri.TryCreate(other, UriKind.Absolute, out var o)
        && string.Equals(origin.Scheme, o.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(origin.IdnHost, o.IdnHost, StringComparison.OrdinalIgnoreCase)
        && origin.Port == o.Port;

    private static IReadOnlyList<string> AcceptedTypes(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is { ContentTypes.Count: > 0 } accepts
            ? accepts.ContentTypes
            : ["application/json"];

    private static bool HasAcceptedContentType(HttpContext http)
    {
        var type = http.Request.ContentType;
        var hasBody = http.Request.ContentLength > 0 || http.Request.Headers.TransferEncoding.Count > 0;
        if (string.IsNullOrEmpty(type))
            return !hasBody; // no body, no type: nothing to read (claim, disable, logout)
        if (!MediaTypeHeaderValue.TryParse(type, out var media))
            return false;
        // JSON is read as UTF-8 by the input guard; another charset would be converted by the deserializer past it.
        if (IsJson(media) && media.Charset.HasValue && !IsUtf8(media.Charset.Value))
            return false;
        return AcceptedTypes(http).Any(accepted =>
            MediaTypeHeaderValue.TryParse(accepted, out var a) && media.IsSubsetOf(a)
            || accepted == "application/json" && media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase) && media.Type.Equals("application", StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsJson(MediaTypeHeaderValue media) =>
        media.Type.Equals("application", StringComparison.OrdinalIgnoreCase)
        && (media.SubType.Equals("json", StringComparison.OrdinalIgnoreCase) || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));

    /// <summary>Exactly <c>utf-8</c> (any case): the name the framework's reader maps; "utf8" or a quoted name it does not.</summary>
    private static bool IsUtf8(StringSegment charset) => charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase);

    private static Task Refuse(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        return Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(http);
    }
}

/// <summary>Origins besides the site's own that may send state-changing requests (<c>Outreach:Security</c>).</summary>
public sealed class RequestOriginOptions
{
    public const string Section = "Outreach:Security";

    /// <summary>E.g. <c>https://outreach.example.org</c> when a TLS-terminating proxy forwards plain HTTP.</summary>
    public List<string> AllowedOrigins { get; set; } = [];
}
