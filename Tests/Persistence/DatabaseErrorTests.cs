using Npgsql;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Persistence;

/// <summary>What the database said reaches the caller of a grain, not a serializer's complaint about it.</summary>
[Collection(PostgresClusterCollection.Name)]
[Category(TestCategory.Grains)]
public sealed class DatabaseErrorTests(PostgresClusterFixture fixture)
{
    [Fact]
    public async Task PostgresException_InAGrain_ReachesTheClientWithItsSqlStateAndMessage()
    {
        var probe = fixture.Client.GetGrain<IFailureProbeGrain>(Guid.NewGuid());

        var error = await Assert.ThrowsAsync<PostgresException>(() => probe.FailInDatabaseAsync("53300", "too many clients already"));

        Assert.Equal("53300", error.SqlState);
        Assert.Contains("too many clients already", error.Message, StringComparison.Ordinal);
    }
}
