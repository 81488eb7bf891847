namespace Outreach.Web.Security;

/// <summary>
/// A request no endpoint matches (and no static file answered) is 404 at once. Without this the fallback
/// authorization policy (a login for every route not marked anonymous) would also cover unknown paths, and an
/// anonymous <c>GET /login.html</c> would be sent to the login page instead of being told it does not exist.
/// </summary>
public static class UnmatchedRequests
{
    /// <summary>After static files, before authentication.</summary>
    public static IApplicationBuilder UseOutreachUnmatchedAs404(this IApplicationBuilder app) =>
        app.Use((http, next) =>
        {
            if (http.GetEndpoint() is not null)
                return next(http);
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
}
