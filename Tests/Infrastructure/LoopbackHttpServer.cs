using System.Net;

namespace Outreach.Tests.Infrastructure;

/// <summary>
/// An HTTP server on a free loopback port for the tests' stand-ins of outside services (push service, group robots,
/// SMS provider): each request is answered by <c>answer</c> on its own task, so a held answer blocks no other.
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public LoopbackHttpServer(Func<HttpListenerContext, Task> answer)
    {
        Port = FreePorts.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(() => ServeAsync(answer));
    }

    public int Port { get; }

    /// <summary><c>http://127.0.0.1:{port}</c>.</summary>
    public string Origin => $"http://127.0.0.1:{Port}";

    /// <summary>Stops taking requests (answers under way go on until closed).</summary>
    public void Stop()
    {
        if (_listener.IsListening)
            _listener.Stop();
    }

    public async ValueTask DisposeAsync()
    {
        Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
            // Closed while waiting for a request.
        }
    }

    private async Task ServeAsync(Func<HttpListenerContext, Task> answer)
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => answer(context));
        }
    }
}
