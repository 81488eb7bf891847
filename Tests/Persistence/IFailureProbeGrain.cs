namespace Outreach.Tests.Persistence;

/// <summary>A test grain that fails the way a grain fails when PostgreSQL refuses a statement.</summary>
[Alias("Outreach.Tests.IFailureProbeGrain")]
public interface IFailureProbeGrain : IGrainWithGuidKey
{
    /// <summary>Throws a <c>PostgresException</c> with the given SQL state.</summary>
    [Alias("FailInDatabase")]
    Task FailInDatabaseAsync(string sqlState, string message);
}
