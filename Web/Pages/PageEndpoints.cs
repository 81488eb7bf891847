using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Options;
using Outreach.Model;
using Outreach.Web.Auth;

namespace Outreach.Web.Pages;

/// <summary>
/// The HTML pages: <c>/login</c>, the landing redirect <c>/</c>, one page per role, and <c>GET /api/config</c>.
/// A page is an HTML file in <c>wwwroot</c> served only through its route (never as <c>/x.html</c>): a browser
/// without the login cookie is redirected to <c>/login?ReturnUrl=…</c>; a user whose role the page's policy
/// does not admit gets 403 with <c>forbidden.html</c>, which links to <c>/</c> (their own page).
/// </summary>
public static class PageEndpoints
{
    private const string HtmlContentType = "text/html; charset=utf-8";

    public static WebApplicationBuilder AddOutreachPages(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MapOptions>().BindConfiguration(MapOptions.Section);
        return builder;
    }

    /// <summary>Static files of wwwroot (libraries, scripts, styles, tables) for everyone, except HTML pages.</summary>
    public static IApplicationBuilder UseOutreachStaticFiles(this IApplicationBuilder app)
    {
        var types = new FileExtensionContentTypeProvider();
        types.Mappings.Remove(".html");
        types.Mappings.Remove(".htm");
        return app.UseStaticFiles(new StaticFileOptions
        {
            ContentTypeProvider = types,
            // Revalidate every time (ETag / Last-Modified make it cheap), so a deploy never mixes old and new modules.
            OnPrepareResponse = ctx => ctx.Context.Response.Headers.CacheControl = "no-cache",
        });
    }

    public static IEndpointRouteBuilder MapPageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", Landing).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/login", (IWebHostEnvironment env) => Page(env, "login.html")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/api/config", Config).AllowAnonymous().WithTags("Pages");

        // The role pages (issues #5–#7): each is wwwroot/<name>.html; 404 until its file exists.
        app.MapPage("/volunteer", "volunteer.html", Policies.Volunteer);
        app.MapPage("/operator", "operator.html", Policies.Hotline);
        app.MapPage("/coordinator", "coordinator.html", Policies.Coordinator);
        return app;
    }

    /// <summary>Serves <c>wwwroot/{file}</c> at <paramref name="path"/> to signed-in users that pass <paramref name="policy"/>.</summary>
    public static RouteHandlerBuilder MapPage(this IEndpointRouteBuilder app, string path, string file, string policy) =>
        app.MapGet(path, async (ClaimsPrincipal user, IAuthorizationService authorization, IWebHostEnvironment env) =>
            {
                var verdict = await authorization.AuthorizeAsync(user, policy);
                return verdict.Succeeded ? Page(env, file) : await ForbiddenAsync(env);
            })
            .RequireAuthorization()
            .ExcludeFromDescription();

    /// <summary>The page of the user's role: coordinators and admins the map, operators the console, volunteers theirs.</summary>
    public static string? HomeOf(ClaimsPrincipal user) =>
        user.IsInRole(Roles.Coordinator) || user.IsInRole(Roles.Admin) ? "/coordinator"
        : user.IsInRole(Roles.Operator) ? "/operator"
        : user.IsInRole(Roles.Volunteer) ? "/volunteer"
        : null;

    private static async Task<IResult> Landing(ClaimsPrincipal user, IWebHostEnvironment env)
    {
        if (user.Identity?.IsAuthenticated != true)
            return TypedResults.Redirect("/login");
        return HomeOf(user) is { } home ? TypedResults.Redirect(home) : await ForbiddenAsync(env);
    }

    private static Ok<ClientConfig> Config(IOptionsSnapshot<MapOptions> map) =>
        TypedResults.Ok(new ClientConfig(map.Value.TileUrl, map.Value.TileAttribution));

    private static IResult Page(IWebHostEnvironment env, string file)
    {
        var path = Path.Combine(env.WebRootPath, file);
        if (!File.Exists(path))
            return TypedResults.NotFound();
        return new NoCacheResult(TypedResults.PhysicalFile(path, HtmlContentType));
    }

    /// <summary>403 with the forbidden page (which links to the user's own page).</summary>
    public static async Task<IResult> ForbiddenAsync(IWebHostEnvironment env)
    {
        var html = await File.ReadAllTextAsync(Path.Combine(env.WebRootPath, "forbidden.html"));
        return new NoCacheResult(TypedResults.Content(html, HtmlContentType, Encoding.UTF8, StatusCodes.Status403Forbidden));
    }
}
