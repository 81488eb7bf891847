using Microsoft.Extensions.Logging;

namespace Outreach.Database;

/// <summary>Placeholder until the migrations land; replaced in the schema commit.</summary>
public sealed class SchemaMigrator(string connectionString, ILogger<SchemaMigrator> log)
{
    public Task MigrateWithRetryAsync(TimeSpan retryDelay, CancellationToken cancellationToken)
    {
        _ = connectionString; _ = log; _ = retryDelay; _ = cancellationToken;
        return Task.CompletedTask;
    }
}
