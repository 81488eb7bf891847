using Npgsql;

namespace Outreach.ServiceDefaults;

/// <summary>
/// Npgsql keeps idle pooled connections after the server or the network went away and hands them out again;
/// each then fails once ("Exception while writing to stream"). Once one connection is seen broken, the others of
/// the pool almost surely are too (npgsql issues 3943, 2896), so the process drops its idle connections: the
/// first call after the database is back then opens a fresh one instead of failing.
/// </summary>
public static class BrokenConnections
{
    /// <summary>Whether <paramref name="exception"/> (or what it wraps) says a connection to PostgreSQL broke or could not be opened.</summary>
    public static bool Seen(Exception? exception)
    {
        for (var depth = 0; exception is not null && depth < 16; exception = exception.InnerException, depth++)
        {
            switch (exception)
            {
                case PostgresException postgres when postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                    || postgres.SqlState is "57P01" or "57P02" or "57P03":
                    return true;
                case PostgresException:
                    return false;
                case NpgsqlException:
                    return true;
                case AggregateException aggregate:
                    return aggregate.InnerExceptions.Any(Seen);
            }
        }
        return false;
    }

    /// <summary>Drops the idle connections of every pool of the process (busy ones are closed when returned).</summary>
    public static void ClearPools(NpgsqlDataSource? dataSource)
    {
        NpgsqlConnection.ClearAllPools();
        dataSource?.Clear();
    }
}
