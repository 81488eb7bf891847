using System.Net;
using System.Net.Sockets;

namespace Outreach.Tests.Infrastructure;

/// <summary>Loopback ports nobody listens on, for the processes a test starts.</summary>
public static class FreePorts
{
    private static readonly HashSet<int> Handed = [];

    /// <summary>A port the OS just reported free and that this test run has not handed out before.</summary>
    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            lock (Handed)
            {
                if (Handed.Add(port))
                    return port;
            }
        }
    }
}
