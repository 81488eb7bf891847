using Npgsql;

namespace Outreach.Tests.Persistence;

public sealed class FailureProbeGrain : Grain, IFailureProbeGrain
{
    public Task FailInDatabaseAsync(string sqlState, string message) =>
        throw new PostgresException(message, "ERROR", "ERROR", sqlState);
}
