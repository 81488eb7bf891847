using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Outreach.Tests.Infrastructure;

/// <summary>
/// A real system (silo and web processes on a fresh database) started as a subclass says, with an Orleans client of its
/// cluster beside it, for tests that call grains (a request's delivery record, the live registry) as well as the API;
/// and what the subclass holds besides (a provider's stand-in), disposed after the system.
/// </summary>
public abstract class ClientSystemFixture : IAsyncLifetime
{
    private OutreachSystem? _system;
    private IHost? _clientHost;

    public OutreachSystem System => _system ?? throw new InvalidOperationException("The system is not started.");

    public WebNode Web => System.Web;

    public IClusterClient Client => _clientHost?.Services.GetRequiredService<IClusterClient>()
        ?? throw new InvalidOperationException("The client is not started.");

    /// <summary>Starts the system with this fixture's settings (<see cref="OutreachSystem.StartAsync"/>).</summary>
    protected abstract Task<OutreachSystem> StartSystemAsync();

    /// <summary>What to wait for once the system and the client are up (nothing unless overridden).</summary>
    protected virtual Task OnStartedAsync() => Task.CompletedTask;

    /// <summary>Disposes what the fixture holds beside the system, once the system and the client are stopped.</summary>
    protected virtual ValueTask DisposeStandInsAsync() => ValueTask.CompletedTask;

    public async Task InitializeAsync()
    {
        _system = await StartSystemAsync();
        _clientHost = await _system.StartClientHostAsync();
        await OnStartedAsync();
    }

    public async Task DisposeAsync()
    {
        if (_clientHost is not null)
        {
            await _clientHost.StopAsync();
            _clientHost.Dispose();
        }
        if (_system is not null)
            await _system.DisposeAsync();
        await DisposeStandInsAsync();
    }
}
