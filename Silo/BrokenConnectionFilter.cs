using Npgsql;
using Outreach.ServiceDefaults;

namespace Outreach.Silo;

/// <summary>
/// After a grain call fails because a database connection broke, drops the silo's idle pooled connections (the
/// Orleans providers' pool and our data source), so they are not handed out, broken, once the database is back.
/// </summary>
public sealed class BrokenConnectionFilter(NpgsqlDataSource dataSource, ILogger<BrokenConnectionFilter> log) : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context)
    {
        // Most calls complete at once (a cell's search, a read from memory): no state machine for them.
        Task call;
        try
        {
            call = context.Invoke();
        }
        catch (Exception e)
        {
            DropIfBroken(e, context);
            throw;
        }
        return call.IsCompletedSuccessfully ? call : AwaitAsync(call, context);
    }

    private async Task AwaitAsync(Task call, IIncomingGrainCallContext context)
    {
        try
        {
            await call;
        }
        catch (Exception e)
        {
            DropIfBroken(e, context);
            throw;
        }
    }

    private void DropIfBroken(Exception e, IIncomingGrainCallContext context)
    {
        if (!BrokenConnections.Seen(e))
            return;
        log.LogWarning("A database connection broke in {Grain}.{Method} ({Reason}); dropping idle pooled connections",
            context.TargetId.Type, context.InterfaceMethod?.Name, e.Message.Split('\n')[0]);
        BrokenConnections.ClearPools(dataSource);
    }
}
