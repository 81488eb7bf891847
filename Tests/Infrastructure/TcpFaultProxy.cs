using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Outreach.Tests.Infrastructure;

/// <summary>
/// A loopback TCP proxy between the processes under test and PostgreSQL that a test can cut and restore,
/// so a database outage can be staged without stopping the server other tests share. Cut: every open
/// connection is reset (RST) and new ones are refused, as when the server or the network goes away.
/// </summary>
public sealed class TcpFaultProxy : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly Lock _gate = new();
    private readonly List<(Socket Client, Socket Server)> _pairs = [];
    private readonly CancellationTokenSource _disposed = new();
    private Socket? _listener;
    private Task _accepting = Task.CompletedTask;

    private TcpFaultProxy(IPEndPoint target, int port)
    {
        _target = target;
        Port = port;
    }

    /// <summary>The loopback port the proxy listens on.</summary>
    public int Port { get; }

    /// <summary>Whether connections currently pass.</summary>
    public bool IsUp { get; private set; }

    /// <summary>Starts a proxy to the server of <paramref name="connectionString"/>.</summary>
    public static TcpFaultProxy Start(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var host = builder.Host is null or "localhost" ? "127.0.0.1" : builder.Host;
        var proxy = new TcpFaultProxy(new IPEndPoint(IPAddress.Parse(host), builder.Port), FreePorts.Next());
        proxy.Restore();
        return proxy;
    }

    /// <summary><paramref name="connectionString"/> pointed at the proxy instead of the server.</summary>
    public string Through(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = Port }.ConnectionString;

    /// <summary>Resets every open connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        List<(Socket Client, Socket Server)> pairs;
        lock (_gate)
        {
            IsUp = false;
            _listener?.Close();
            _listener = null;
            pairs = [.. _pairs];
            _pairs.Clear();
        }
        foreach (var (client, server) in pairs)
        {
            Reset(client);
            Reset(server);
        }
    }

    /// <summary>Accepts connections again, on the same port.</summary>
    public void Restore()
    {
        lock (_gate)
        {
            if (IsUp)
                return;
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, Port));
            listener.Listen(128);
            _listener = listener;
            IsUp = true;
            _accepting = AcceptAsync(listener);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        Cut();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Closed under it.
        }
        _disposed.Dispose();
    }

    private async Task AcceptAsync(Socket listener)
    {
        while (!_disposed.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_disposed.Token);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return; // Cut or disposed.
            }
            _ = PipeAsync(client);
        }
    }

    private async Task PipeAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await server.ConnectAsync(_target, _disposed.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            Reset(client);
            server.Dispose();
            return;
        }
        lock (_gate)
        {
            if (!IsUp)
            {
                Reset(client);
                Reset(server);
                return;
            }
            _pairs.Add((client, server));
        }
        await Task.WhenAny(CopyAsync(client, server), CopyAsync(server, client));
        lock (_gate)
            _pairs.Remove((client, server));
        client.Dispose();
        server.Dispose();
    }

    private static async Task CopyAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The other side went away, or the proxy cut the pair.
        }
    }

    /// <summary>Closes with an RST rather than a FIN: the peer sees "connection reset", as after a crash.</summary>
    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }
    }
}
