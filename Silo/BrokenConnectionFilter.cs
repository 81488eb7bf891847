using Npgsql;
using Outreach.ServiceDefaults;

namespace Outreach.Silo;

/// <summary>
/// After a grain call fails because a database connection broke, drops the silo's idle pooled connections (the
/// Orleans providers' pool and our data source), so they are not handed out, broken, once the database is back.
/// </summary>
public sealed class BrokenConnectionFilter(NpgsqlDataSource dataSource, ILogger<BrokenConnectionFilter> log) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception e) when (BrokenConnections.Seen(e))
        {
            log.LogWarning("A database connection broke in {Grain}.{Method} ({Reason}); dropping idle pooled connections",
                context.TargetId.Type, context.InterfaceMethod?.Name, e.Message.Split('\n')[0]);
            BrokenConnections.ClearPools(dataSource);
            throw;
        }
    }
}
