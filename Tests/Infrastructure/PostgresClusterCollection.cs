namespace Outreach.Tests.Infrastructure;

/// <summary>Tests that share one in-process Orleans cluster whose storage and reminders are in PostgreSQL.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresClusterCollection : ICollectionFixture<PostgresClusterFixture>
{
    public const string Name = "PostgreSQL cluster";
}
