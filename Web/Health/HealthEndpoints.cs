using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Outreach.Files;
using Outreach.Stations;

namespace Outreach.Web.Health;

/// <summary>Liveness (the process answers) and readiness (the cluster and the database answer).</summary>
public static class HealthEndpoints
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "alive" })).WithTags("Operations").AllowAnonymous();
        app.MapGet("/readyz", Ready).WithTags("Operations").AllowAnonymous();
        return app;
    }

    private static async Task<Results<Ok<ReadyResponse>, ProblemHttpResult>> Ready(
        IClusterClient cluster, NpgsqlDataSource database, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var failures = new List<string>();
        try
        {
            await using var command = database.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            // The reason goes to the log; the answer (anonymous) says only what failed.
            loggers.CreateLogger(typeof(HealthEndpoints)).LogWarning("Not ready: database ({Reason})", e.Message);
            failures.Add(e is NpgsqlException ? "database: unreachable" : "database: no answer within 5 s");
        }
        try
        {
            // A round trip to a grain that reads its state: the gateway, a silo and grain storage all answer.
            await cluster.GetGrain<IDirectoryGrain<StationView>>(DirectoryShards.Stations.KeyOf(0)).ListAsync()
                .WaitAsync(timeout.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            loggers.CreateLogger(typeof(HealthEndpoints)).LogWarning("Not ready: cluster ({Reason})", e.Message.Split('\n')[0]);
            failures.Add(e is OperationCanceledException or TimeoutException ? "cluster: no answer within 5 s" : "cluster: unreachable");
        }
        return failures.Count == 0
            ? TypedResults.Ok(new ReadyResponse("ready"))
            : TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready.",
                detail: string.Join("; ", failures));
    }
}
