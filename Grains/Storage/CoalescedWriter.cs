namespace Outreach.Grains.Storage;

/// <summary>
/// Group commit for a reentrant grain whose state is one large value (a directory shard, a dispatch cell):
/// callers that change the state while a write is in flight share the next write instead of each making
/// their own. Every caller's task completes only after a write that began after its change has finished,
/// so "awaited" still means "stored". Runs on the grain's scheduler, so no locks are needed.
/// </summary>
public sealed class CoalescedWriter(Func<Task> write)
{
    private Task? _running;
    private bool _pending;

    /// <summary>Stores the current state (together with whatever else changed meanwhile).</summary>
    public Task WriteAsync()
    {
        _pending = true;
        if (_running is { } running)
            return running;
        var run = RunAsync();
        // A write that finished synchronously (a fast local database can answer before the await) has already
        // cleared _running in its finally; keeping its completed task would make every later call skip writing.
        if (!run.IsCompleted)
            _running = run;
        return run;
    }

    private async Task RunAsync()
    {
        try
        {
            while (_pending)
            {
                _pending = false;
                await write();
            }
        }
        finally
        {
            _running = null;
        }
    }
}
