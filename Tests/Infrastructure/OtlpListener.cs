using System.IO.Compression;
using System.Net;
using System.Text;

namespace Outreach.Tests.Infrastructure;

/// <summary>
/// A small OTLP/HTTP receiver on a free loopback port: the processes under test export traces and metrics to it
/// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, protocol <c>http/protobuf</c>) and it keeps every body. Protobuf carries strings
/// as plain UTF-8: <see cref="Contains"/> searches the texts of the bodies (<see cref="ProtobufText"/>), never their
/// binary fields, where random ids and timestamps can spell any short text.
/// </summary>
public sealed class OtlpListener : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<(string Path, byte[] Body)> _received = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly Task _loop;

    public OtlpListener()
    {
        Port = FreePorts.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ReceiveAsync);
    }

    public int Port { get; }

    /// <summary>The endpoint to give the processes.</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>The settings that make a process export here, soon after each span ends.</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
    };

    /// <summary>Every body received so far, with its path (<c>/v1/traces</c>, <c>/v1/metrics</c>).</summary>
    public IReadOnlyList<(string Path, byte[] Body)> Received
    {
        get
        {
            lock (_received)
                return [.. _received];
        }
    }

    /// <summary>Whether any text field of any body received so far contains <paramref name="text"/>.</summary>
    public bool Contains(string text) =>
        Received.Any(r => ProtobufText.Strings(r.Body).Any(s => s.Contains(text, StringComparison.Ordinal)));

    /// <summary>Waits until a traces body contains every one of <paramref name="texts"/>.</summary>
    public async Task WaitForTraceAsync(TimeSpan timeout, params string[] texts)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var needles = texts.Select(Encoding.UTF8.GetBytes).ToArray();
            if (Received.Any(r => r.Path == "/v1/traces" && needles.All(n => r.Body.AsSpan().IndexOf(n) >= 0)))
                return;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _arrived.WaitAsync(left))
            {
                throw new TimeoutException(
                    $"No exported trace contained [{string.Join(", ", texts)}] within {timeout.TotalSeconds} s ({Received.Count} bodies received).");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
            // Stopped while waiting for a request.
        }
        _arrived.Dispose();
    }

    private async Task ReceiveAsync()
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
            using var body = new MemoryStream();
            Stream input = context.Request.InputStream;
            if (string.Equals(context.Request.Headers["Content-Encoding"], "gzip", StringComparison.OrdinalIgnoreCase))
                input = new GZipStream(input, CompressionMode.Decompress);
            await input.CopyToAsync(body);
            lock (_received)
                _received.Add((context.Request.Url?.AbsolutePath ?? "", body.ToArray()));
            _arrived.Release();
            // An empty Export*ServiceResponse: full success.
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }
}
