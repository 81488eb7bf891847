using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Outreach.ServiceDefaults;
using Outreach.Web.Auth;

namespace Outreach.Web.Security;

/// <summary>
/// <c>/metrics</c> and <c>/openapi/v1.json</c> tell an attacker what runs and how much: administrators only, in every
/// environment, answered 401/403 (never the login redirect a page gets). <c>/healthz</c> and <c>/readyz</c> stay
/// anonymous for load balancers and say nothing more than what failed. A Prometheus server that cannot log in
/// receives the web node's metrics by OTLP (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>); the silo's <c>/metrics</c> is unchanged.
/// </summary>
public static class OperationalEndpoints
{
    public static WebApplicationBuilder AddOutreachOperationalEndpoints(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, StatusOnlyForOperations>();
        return builder;
    }

    public static IEndpointRouteBuilder MapOutreachOperationalEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi().RequireAuthorization(Policies.Admin).WithMetadata(Marker.Instance);
        app.MapOutreachMetrics().RequireAuthorization(Policies.Admin).WithMetadata(Marker.Instance);
        return app;
    }

    private sealed class Marker
    {
        public static readonly Marker Instance = new();
    }

    /// <summary>For the operational endpoints a refusal is a bare 401/403; everything else as before.</summary>
    private sealed class StatusOnlyForOperations : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler _default = new();

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<Marker>() is null || result.Succeeded)
                return _default.HandleAsync(next, context, policy, result);
            context.Response.StatusCode = result.Challenged ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        }
    }
}
