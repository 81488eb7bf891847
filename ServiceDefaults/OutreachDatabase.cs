using Microsoft.Extensions.Configuration;

namespace Outreach.ServiceDefaults;

/// <summary>Where the one PostgreSQL database of the system is, and how Orleans reaches it.</summary>
public static class OutreachDatabase
{
    /// <summary>The ADO.NET invariant the Orleans providers need for Npgsql (their default is SQL Server).</summary>
    public const string Invariant = "Npgsql";

    /// <summary>The name of the connection string in configuration (<c>ConnectionStrings__Outreach</c>).</summary>
    public const string ConnectionStringName = "Outreach";

    /// <summary>The connection string, or a clear error when none is configured.</summary>
    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"No database configured: set ConnectionStrings:{ConnectionStringName} (environment variable ConnectionStrings__{ConnectionStringName}).");
}
