namespace Outreach.Web.Pages;

/// <summary>Wraps a result so the browser revalidates it every time (pages change with each deploy).</summary>
internal sealed class NoCacheResult(IResult inner) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.CacheControl = "no-cache";
        return inner.ExecuteAsync(httpContext);
    }
}
