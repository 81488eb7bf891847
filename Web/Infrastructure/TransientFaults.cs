using System.Net.Sockets;
using Npgsql;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Orleans.Storage;

namespace Outreach.Web.Infrastructure;

/// <summary>
/// Tells a fault that a retry can cure (the database or a silo is unreachable for a while, a write lost an
/// optimistic-concurrency race) from a bug, by looking through the exception and everything it wraps.
/// </summary>
public static class TransientFaults
{
    /// <summary>SQL states of a server that is (re)starting, overloaded or unreachable, or of a lost race.</summary>
    private static readonly string[] TransientSqlStates = ["40001", "40P01"];

    /// <summary>The transient fault inside <paramref name="exception"/>, or null when there is none (a bug).</summary>
    public static Exception? Find(Exception exception)
    {
        var seen = new HashSet<Exception>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<Exception>();
        pending.Push(exception);
        while (pending.TryPop(out var e))
        {
            if (!seen.Add(e))
                continue;
            if (IsTransient(e))
                return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                    pending.Push(inner);
            }
            else if (e.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
        return null;
    }

    /// <summary>Whether this exception itself (not what it wraps) is a fault a retry can cure.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException postgres => IsTransientSqlState(postgres.SqlState),
        // Not a server error: the connection could not be opened, broke, or timed out.
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is null,
        SiloUnavailableException or OrleansMessageRejectionException or ClientNotAvailableException
            or ConnectionFailedException or GatewayTooBusyException or InconsistentStateException => true,
        // A grain call that got no answer in time (Orleans' response timeout), or a socket timing out.
        TimeoutException => true,
        SocketException => true,
        _ => false,
    };

    /// <summary>
    /// Connection exceptions (class 08), insufficient resources (53), the server shutting down or starting
    /// (57P01–57P03), serialization failure and deadlock (40001, 40P01).
    /// </summary>
    public static bool IsTransientSqlState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal)
        || sqlState.StartsWith("53", StringComparison.Ordinal)
        || sqlState is "57P01" or "57P02" or "57P03"
        || TransientSqlStates.Contains(sqlState);
}
