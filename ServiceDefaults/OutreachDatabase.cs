using Microsoft.Extensions.Configuration;

namespace Outreach.ServiceDefaults;

/// <summary>Where the one PostgreSQL database of the system is, and how Orleans reaches it.</summary>
public static class OutreachDatabase
{
    /// <summary>The ADO.NET invariant the Orleans providers need for Npgsql (their default is SQL Server).</summary>
    public const string Invariant = "Npgsql";

    /// <summary>The name of the connection string in configuration (<c>ConnectionStrings__Outreach</c>).</summary>
    public const string ConnectionStringName = "Outreach";

    /// <summary>
    /// Connections a process opens at most, per pool, unless the connection string says otherwise. A process has
    /// two pools (the Orleans providers' and our own data source); keeping both small lets several silos and web
    /// nodes share PostgreSQL's default 100 connections, and makes overload wait for a connection instead of failing.
    /// </summary>
    public const int DefaultMaxPoolSize = 20;

    /// <summary>Statements each connection keeps prepared at most (the most used), unless the connection string says.</summary>
    public const int DefaultMaxAutoPrepare = 64;

    /// <summary>How often a connection runs a statement before Npgsql prepares it (Npgsql's default).</summary>
    public const int AutoPrepareMinUsages = 5;

    /// <summary>
    /// The connection string, with a bounded pool unless one was given, and — unless it says otherwise — no reset of a
    /// pooled connection when it is returned (<c>No Reset On Close</c>): none of our code leaves state on a session
    /// (no SET, temporary tables, LISTEN or explicitly prepared statements; the migrator releases its advisory lock itself), and the
    /// reset is a <c>DISCARD ALL</c> round trip, counted by PostgreSQL as a transaction, on nearly every command (the
    /// bench measured 6.6 per request). And — unless it says otherwise — Npgsql's automatic preparation
    /// (<c>Max Auto Prepare</c>): a statement a connection has run <see cref="AutoPrepareMinUsages"/> times is prepared
    /// on it, so PostgreSQL parses and plans the request's save, the reminder's upsert and the audit insert once per
    /// connection instead of on every call. A clear error when none is configured.
    /// </summary>
    public static string ConnectionString(IConfiguration configuration)
    {
        var value = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"No database configured: set ConnectionStrings:{ConnectionStringName} (environment variable ConnectionStrings__{ConnectionStringName}).");
        }
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(value);
        if (!value.Contains("Pool Size", StringComparison.OrdinalIgnoreCase) && !value.Contains("MaxPoolSize", StringComparison.OrdinalIgnoreCase))
            builder.MaxPoolSize = DefaultMaxPoolSize;
        if (!value.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase) && !value.Contains("NoResetOnClose", StringComparison.OrdinalIgnoreCase))
            builder.NoResetOnClose = true;
        if (!value.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase) && !value.Contains("AutoPrepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
            builder.AutoPrepareMinUsages = AutoPrepareMinUsages;
        }
        return builder.ConnectionString;
    }
}
