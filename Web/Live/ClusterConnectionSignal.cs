namespace Outreach.Web.Live;

/// <summary>
/// Tells the <see cref="LiveRelay"/> when the Orleans client's set of gateways changes or its connection to the
/// cluster is lost, so it renews its subscription at once and has its pages resync. A class of its own (not the
/// relay) because the client resolves its observers while it is built, before the relay can be.
/// </summary>
public sealed class ClusterConnectionSignal : IClusterConnectionStatusObserver, IDisposable
{
    private readonly SemaphoreSlim _changed = new(0, 1);
    private int _interrupted;

    /// <summary>Completes at the next change (or at once if one happened since the last wait).</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _changed.WaitAsync(timeout, cancellationToken);

    /// <summary>Whether the connection was lost or a gateway went away since the last call; clears the flag.</summary>
    public bool TakeInterrupted() => Interlocked.Exchange(ref _interrupted, 0) == 1;

    public void NotifyClusterConnectionLost()
    {
        Interlocked.Exchange(ref _interrupted, 1);
        Signal();
    }

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (currentNumberOfGateways < previousNumberOfGateways || connectionRecovered)
            Interlocked.Exchange(ref _interrupted, 1);
        Signal();
    }

    public void Dispose() => _changed.Dispose();

    private void Signal()
    {
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake-up is already pending.
        }
    }
}
